namespace TrackRec.Streaming.Training.Mlp;

/// <summary>
/// Settings of <see cref="BinaryMlpTrainer"/>. The defaults suit the embedded policy and validator: a few
/// dozen features, 10-100k examples, a network of a few hundred to a few thousand parameters that trains in
/// seconds on two CPU cores.
/// </summary>
public sealed record BinaryTrainingOptions
{
    /// <summary>Widths of the hidden layers (ReLU); empty gives logistic regression.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [32, 16];

    /// <summary>Most passes over the training split (early stopping may end sooner).</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>Examples per Adam step.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>L2 penalty Adam adds to the gradients (torch's weight_decay); keeps the small net from memorising.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>
    /// Share of the examples held out for validation, early stopping and the reported metrics; 0 trains on all
    /// of them for <see cref="Epochs"/> epochs and reports NaN metrics.
    /// </summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>
    /// False (default): the LAST <see cref="ValidationFraction"/> of the examples validate. Our examples come in
    /// event-time order, so that is a hold-out in time, the honest estimate for a model that will score the
    /// future. True: a seeded random subset validates (for data without an order).
    /// </summary>
    public bool ShuffleValidationSplit { get; init; }

    /// <summary>Epochs without a lower validation loss before training stops; the best epoch's weights are returned.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>
    /// Weight of a positive example's loss relative to a negative's (torch's pos_weight); null = 1. Raises recall
    /// on rare positives at the price of calibration.
    /// </summary>
    public double? PositiveWeight { get; init; }

    /// <summary>Sets the positive weight to negatives / positives of the training split (exclusive with <see cref="PositiveWeight"/>).</summary>
    public bool BalanceClasses { get; init; }

    /// <summary>
    /// Targets are probabilities in [0, 1] (a teacher's scores, for distillation) rather than 0/1 labels: the loss is
    /// the cross-entropy to them, classes are not weighted, and validation AUC reads a target of at least 0.5 as positive.
    /// </summary>
    public bool SoftTargets { get; init; }

    /// <summary>Seeds the initialisation (a private libtorch generator), the shuffling and a shuffled split: a run repeats exactly.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Throws naming the first setting that is out of range.</summary>
    public void Validate()
    {
        static void Check(bool ok, string name, string rule)
        {
            if (!ok)
                throw new ArgumentException($"{nameof(BinaryTrainingOptions)}.{name} {rule}", name);
        }
        Check(HiddenSizes is not null && HiddenSizes.All(h => h is >= 1 and <= 4096), nameof(HiddenSizes), "must be widths between 1 and 4096");
        Check(Epochs is >= 1 and <= 10_000, nameof(Epochs), "must be between 1 and 10000");
        Check(BatchSize is >= 1 and <= 1 << 20, nameof(BatchSize), "must be between 1 and 1048576");
        Check(double.IsFinite(LearningRate) && LearningRate > 0, nameof(LearningRate), "must be positive");
        Check(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), "must be zero or positive");
        Check(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), "must be in [0, 1)");
        Check(Patience >= 1, nameof(Patience), "must be at least 1");
        Check(PositiveWeight is null || (double.IsFinite(PositiveWeight.Value) && PositiveWeight.Value > 0), nameof(PositiveWeight), "must be positive");
        Check(!(BalanceClasses && PositiveWeight is not null), nameof(BalanceClasses), "cannot be combined with PositiveWeight");
    }
}
