namespace TrackRec.Streaming.Training.Dpo;

/// <summary>Which preference loss updates the generator.</summary>
public enum PreferenceLoss
{
    /// <summary>Softmax DPO: the chosen chain against every rejected one at once (TrackRec's one-vs-many).</summary>
    SDpo,

    /// <summary>Plain DPO: the chosen chain against the worst rejected one.</summary>
    Dpo,
}
