namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// Settings of the contrastive adapter training on frozen pretrained vectors (<see cref="ContrastiveAdapterTrainer"/>).
/// The adapter is one residual linear layer, so a few thousand pairs and a few epochs move it in seconds.
/// </summary>
public sealed record AdapterTrainingOptions
{
    /// <summary>Passes over the training pairs.</summary>
    public int Epochs { get; init; } = 8;

    /// <summary>Pairs per step; the other pairs of a batch are each pair's negatives.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam weight decay, pulling W towards 0 (the pretrained geometry).</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>InfoNCE temperature (sentence-transformers' MultipleNegativesRankingLoss uses 0.05).</summary>
    public double Temperature { get; init; } = 0.05;

    /// <summary>Seeds the shuffling and the held-out split.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Share of pairs held out to measure retrieval accuracy.</summary>
    public double HeldOutShare { get; init; } = 0.1;

    /// <summary>Most held-out pairs.</summary>
    public int MaxHeldOut { get; init; } = 2000;

    /// <summary>Held-out pairs ranked against each other at once when measuring accuracy.</summary>
    public int EvaluationGroupSize { get; init; } = 32;

    /// <summary>Throws naming the first setting that is out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, string rule)
        {
            if (!ok)
                throw new ArgumentException($"{nameof(AdapterTrainingOptions)}.{name} {rule}", name);
        }
        Check(Epochs is >= 1 and <= 1000, nameof(Epochs), "must be between 1 and 1000");
        Check(BatchSize is >= 2 and <= 65536, nameof(BatchSize), "must be between 2 and 65536");
        Check(LearningRate is > 0 and <= 1, nameof(LearningRate), "must be greater than 0 and at most 1");
        Check(WeightDecay is >= 0 and <= 1, nameof(WeightDecay), "must be between 0 and 1");
        Check(Temperature is > 0 and <= 10, nameof(Temperature), "must be greater than 0 and at most 10");
        Check(HeldOutShare is >= 0 and < 1, nameof(HeldOutShare), "must be at least 0 and below 1");
        Check(MaxHeldOut >= 0, nameof(MaxHeldOut), "must not be negative");
        Check(EvaluationGroupSize >= 2, nameof(EvaluationGroupSize), "must be at least 2");
    }
}
