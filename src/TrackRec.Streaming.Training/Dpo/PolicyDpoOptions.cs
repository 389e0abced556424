namespace TrackRec.Streaming.Training.Dpo;

/// <summary>Settings of <see cref="PolicyDpoTrainer"/>.</summary>
public sealed record PolicyDpoOptions
{
    /// <summary>DPO's beta: how far the policy may move from the reference for a given preference (paper: 0.1).</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>S-DPO (default) or plain DPO.</summary>
    public PreferenceLoss Loss { get; init; } = PreferenceLoss.SDpo;

    /// <summary>Passes over the preference records.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Preference records per Adam step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Share of the records (the latest ones) kept out of training to report held-out loss and accuracy.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Seeds the batch order.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Throws naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, string rule)
        {
            if (!ok)
                throw new ArgumentException($"{nameof(PolicyDpoOptions)}.{name} {rule}", name);
        }
        Check(double.IsFinite(Beta) && Beta > 0, nameof(Beta), "must be positive");
        Check(Epochs is >= 1 and <= 1000, nameof(Epochs), "must be between 1 and 1000");
        Check(BatchSize is >= 1 and <= 100_000, nameof(BatchSize), "must be between 1 and 100000");
        Check(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), "must be positive");
        Check(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), "must be in [0, 1)");
    }
}
