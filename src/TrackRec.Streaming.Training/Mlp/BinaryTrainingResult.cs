using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Training.Mlp;

/// <summary>
/// What <see cref="BinaryMlpTrainer"/> produced, with the numbers a model card records.
/// </summary>
/// <param name="Weights">The best epoch's network, standardisation folded in: it takes raw features and outputs one logit.</param>
/// <param name="TrainLoss">The training objective (BCE with the positive weight, no weight-decay term) of <paramref name="Weights"/> on the whole training split.</param>
/// <param name="ValidationAuc">AUC on the validation split; NaN without validation or when it holds one class only.</param>
/// <param name="ValidationLogLoss">Unweighted mean log loss on the validation split (a calibration measure); NaN without validation.</param>
/// <param name="Examples">All examples given (training plus validation).</param>
public sealed record BinaryTrainingResult(MlpWeights Weights, double TrainLoss, double ValidationAuc, double ValidationLogLoss, int Examples)
{
    /// <summary>Examples in the training split.</summary>
    public int TrainExamples { get; init; }

    /// <summary>Examples in the validation split.</summary>
    public int ValidationExamples { get; init; }

    /// <summary>Epochs run (fewer than asked when early stopping ended training).</summary>
    public int EpochsRun { get; init; }

    /// <summary>The 1-based epoch whose weights were kept (the last one without validation).</summary>
    public int BestEpoch { get; init; }

    /// <summary>Wall-clock time of the training, split and standardisation included.</summary>
    public TimeSpan Elapsed { get; init; }
}
