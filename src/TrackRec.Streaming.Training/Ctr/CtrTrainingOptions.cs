namespace TrackRec.Streaming.Training.Ctr;

/// <summary>
/// The fixed budget of one CTR training: the same for the run without and with chain features, so the
/// comparison is of the features, not of the effort.
/// </summary>
public sealed record CtrTrainingOptions
{
    /// <summary>The model trained: DIN (default) or DCN.</summary>
    public CtrBackbone Backbone { get; init; } = CtrBackbone.Din;

    /// <summary>Most passes over the training rows (early stopping on the validation split may end sooner).</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>Examples per Adam step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 2e-3;

    /// <summary>Adam weight decay.</summary>
    public double WeightDecay { get; init; }

    /// <summary>The newest share of the training rows (they come in time order) held out for early stopping; never the test split.</summary>
    public double ValidationShare { get; init; } = 0.1;

    /// <summary>Epochs without a lower validation log loss before training stops (the best epoch's weights are kept).</summary>
    public int Patience { get; init; } = 1;

    /// <summary>Standardise each chain feature with the training rows' mean and deviation.</summary>
    public bool StandardiseChainFeatures { get; init; } = true;

    /// <summary>Seeds the initialisation and the batch order.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Throws naming the first setting out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, string rule)
        {
            if (!ok)
                throw new ArgumentException($"{nameof(CtrTrainingOptions)}.{name} {rule}", name);
        }
        Check(Epochs is >= 1 and <= 1000, nameof(Epochs), "must be between 1 and 1000");
        Check(BatchSize is >= 1 and <= 1 << 20, nameof(BatchSize), "must be between 1 and 1048576");
        Check(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), "must be positive");
        Check(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), "must be zero or positive");
        Check(ValidationShare is >= 0 and < 1, nameof(ValidationShare), "must be in [0, 1)");
        Check(Patience >= 1, nameof(Patience), "must be at least 1");
    }
}
