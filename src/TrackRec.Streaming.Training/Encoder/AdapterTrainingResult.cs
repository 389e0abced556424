using System.Globalization;
using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Training.Encoder;

/// <summary>What an adapter training produced, and whether it beat the pretrained vectors on held-out retrieval.</summary>
public sealed record AdapterTrainingResult
{
    /// <summary>The trained adapter.</summary>
    public required EncoderAdapterWeights Weights { get; init; }

    /// <summary>Mean symmetric InfoNCE loss over the first and the last epoch.</summary>
    public required double FirstEpochLoss { get; init; }

    /// <summary>Mean loss over the last epoch.</summary>
    public required double FinalLoss { get; init; }

    /// <summary>Share of held-out anchors whose own positive ranks first in their group, with the adapter.</summary>
    public required double HeldOutAccuracy { get; init; }

    /// <summary>The same with the pretrained vectors alone (the identity adapter).</summary>
    public required double PretrainedHeldOutAccuracy { get; init; }

    /// <summary>Accuracy of a random ranking on the same groups.</summary>
    public required double HeldOutChance { get; init; }

    /// <summary>Pairs trained on.</summary>
    public required int TrainPairs { get; init; }

    /// <summary>Pairs held out.</summary>
    public required int HeldOutPairs { get; init; }

    /// <summary>Wall-clock training time.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>The figures for a model card (NaN left out: JSON has none).</summary>
    public IReadOnlyDictionary<string, double> Metrics() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["first_epoch_loss"] = FirstEpochLoss,
        ["final_loss"] = FinalLoss,
        ["train_pairs"] = TrainPairs,
        ["heldout_pairs"] = HeldOutPairs,
        ["heldout_retrieval_accuracy"] = HeldOutAccuracy,
        ["heldout_retrieval_accuracy_pretrained"] = PretrainedHeldOutAccuracy,
        ["heldout_retrieval_chance"] = HeldOutChance,
        ["training_seconds"] = Math.Round(Elapsed.TotalSeconds, 3),
    }.Where(kv => double.IsFinite(kv.Value)).ToDictionary(StringComparer.Ordinal);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"loss {FirstEpochLoss:F3} -> {FinalLoss:F3}, held-out accuracy pretrained {PretrainedHeldOutAccuracy:F3} -> adapted {HeldOutAccuracy:F3} (chance {HeldOutChance:F3}), {TrainPairs}+{HeldOutPairs} pairs");
}
