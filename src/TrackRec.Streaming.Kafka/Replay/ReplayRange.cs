namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>
/// What a replay reads of one input partition, as offsets resolved once at the start of the job:
/// [<see cref="WarmupStart"/>, <see cref="Start"/>) only rebuilds user state, [<see cref="Start"/>,
/// <see cref="End"/>) is replayed with outputs. <see cref="End"/> is exclusive and never beyond the
/// high watermark seen at the start, so records produced later are not read.
/// </summary>
public sealed record ReplayRange(string Topic, int Partition, long WarmupStart, long Start, long End)
{
    /// <summary>Records replayed with outputs (approximate: compaction and transaction markers leave gaps).</summary>
    public long Count => Math.Max(0, End - Start);

    /// <summary>Records read only to rebuild state (approximate, as <see cref="Count"/>).</summary>
    public long WarmupCount => Math.Max(0, Math.Min(Start, End) - WarmupStart);

    /// <summary>True when nothing at all is read from this partition.</summary>
    public bool IsEmpty => WarmupStart >= End;

    /// <summary>The range as it appears in the trackrec-replay-range header: topic:partition:start-end (end exclusive).</summary>
    public override string ToString() => $"{Topic}:{Partition}:{Start}-{End}";
}
