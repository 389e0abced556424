namespace TrackRec.Streaming.Training.Dpo;

/// <summary>Settings of one alternating round (<see cref="AlternatingRoundTrainer"/>).</summary>
public sealed record AlternatingOptions
{
    /// <summary>The generator update.</summary>
    public PolicyDpoOptions Dpo { get; init; } = new();

    /// <summary>Labelled outcomes a generation needs before it becomes a preference record (as the worker's TrackRec:Feedback:MinLabels).</summary>
    public int MinLabels { get; init; } = 3;

    /// <summary>Newest labelled impressions the validator retrains on.</summary>
    public int MaxValidatorExamples { get; init; } = 40_000;

    /// <summary>
    /// Also retrain the encoder (adapter or scratch, as the current version is) on the new generator's chains,
    /// as V is: the encoder was aligned on the previous generator's chains, whose texts the new one no longer writes.
    /// </summary>
    public bool RealignEncoder { get; init; }

    /// <summary>Seeds the validator's training.</summary>
    public int Seed { get; init; } = 17;
}
