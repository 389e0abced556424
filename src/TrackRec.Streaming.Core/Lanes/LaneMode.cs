namespace TrackRec.Streaming.Lanes;

/// <summary>How the fast lane (features) and the slow lane (generations, feedback scoring) meet.</summary>
public enum LaneMode
{
    /// <summary>
    /// Features never wait for model work beyond <see cref="LaneOptions.FreshWait"/>: generations and feedback
    /// scoring run off the partition's path. At least once, nothing lost; which chain serves which impression
    /// depends on timing.
    /// </summary>
    Live,

    /// <summary>
    /// The fast lane waits for the slow lane: each stale chain is rewritten before its impression's feature, and
    /// each outcome is scored before the next record. Outputs depend on the input alone, so a replay or a restart
    /// reproduces an uninterrupted run's chains and batches.
    /// </summary>
    Deterministic,
}
