using System.Globalization;

namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// What a training run produced: the weights, and the figures that tell whether it learnt anything (held-out
/// retrieval accuracy against chance and against the untrained network).
/// </summary>
public sealed record EncoderTrainingResult
{
    /// <summary>The trained encoder.</summary>
    public required EncoderWeights Weights { get; init; }

    /// <summary>Mean symmetric InfoNCE loss over the last epoch.</summary>
    public required double FinalLoss { get; init; }

    /// <summary>Mean loss over the first epoch.</summary>
    public required double FirstEpochLoss { get; init; }

    /// <summary>Share of held-out anchors whose own positive ranks first among their group; NaN without held-out pairs.</summary>
    public required double HeldOutAccuracy { get; init; }

    /// <summary>The same measure with the untrained, randomly initialised network.</summary>
    public required double InitialHeldOutAccuracy { get; init; }

    /// <summary>Accuracy of a random ranking on the same groups.</summary>
    public required double HeldOutChance { get; init; }

    /// <summary>Pairs trained on.</summary>
    public required int TrainPairs { get; init; }

    /// <summary>Pairs held out.</summary>
    public required int HeldOutPairs { get; init; }

    /// <summary>Wall-clock training time, vocabulary and evaluation included.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The figures for a model card (measures that could not be taken are left out: JSON has no NaN).</summary>
    public IReadOnlyDictionary<string, double> Metrics()
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["final_loss"] = FinalLoss,
            ["first_epoch_loss"] = FirstEpochLoss,
            ["train_pairs"] = TrainPairs,
            ["heldout_pairs"] = HeldOutPairs,
            ["vocab_size"] = Weights.Vocabulary.Count,
            ["training_seconds"] = Math.Round(Elapsed.TotalSeconds, 3),
        };
        if (HeldOutPairs > 1)
        {
            metrics["heldout_retrieval_accuracy"] = HeldOutAccuracy;
            metrics["heldout_retrieval_accuracy_initial"] = InitialHeldOutAccuracy;
            metrics["heldout_retrieval_chance"] = HeldOutChance;
        }
        return metrics;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"loss {FirstEpochLoss:F3} -> {FinalLoss:F3}, held-out accuracy {InitialHeldOutAccuracy:F3} -> {HeldOutAccuracy:F3} (chance {HeldOutChance:F3}), {TrainPairs}+{HeldOutPairs} pairs, {Elapsed.TotalSeconds:F1}s");
}
