using System.Globalization;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// The one call that makes the embedded encoder: train on (chain text, engaged item text) pairs, export to
/// ONNX with its vocabulary, and publish it as the next "encoder" version with its settings and metrics on
/// the card, where <see cref="OnnxTextEncoder.FromModelStore"/> finds it.
/// </summary>
public static class EncoderTraining
{
    /// <summary>Trains, exports and publishes; returns the published card (CURRENT points at it).</summary>
    public static ModelCard TrainAndPublish(ModelStore store, IReadOnlyList<(string Anchor, string Positive)> pairs, EncoderTrainingOptions options, TrainingDataRange data)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(data);
        var result = ContrastiveEncoderTrainer.Train(pairs, options);
        return Publish(store, result, data);
    }

    /// <summary>
    /// Embeds the pairs with the frozen pretrained encoder (<see cref="MiniLmEncoderFiles.Shared"/>), trains the
    /// contrastive adapter on them and publishes it as the next "encoder" version (the card names the base).
    /// </summary>
    public static ModelCard TrainAdapterAndPublish(ModelStore store, IReadOnlyList<(string Anchor, string Positive)> pairs, AdapterTrainingOptions options, TrainingDataRange data)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(data);
        var texts = pairs.SelectMany(p => new[] { p.Anchor, p.Positive }).Distinct(StringComparer.Ordinal).ToList();
        var vectors = MiniLmEncoderFiles.Shared.EncodeAsync(texts, CancellationToken.None).GetAwaiter().GetResult();
        var byText = texts.Zip(vectors).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
        var result = ContrastiveAdapterTrainer.Train(pairs.Select(p => (byText[p.Anchor], byText[p.Positive], p.Positive)).ToList(), options);
        var card = new ModelCard
        {
            Name = EmbeddedModelFiles.Encoder,
            Version = store.NextVersion(EmbeddedModelFiles.Encoder),
            CreatedAt = DateTimeOffset.UtcNow,
            TrainingData = data,
            Metrics = result.Metrics(),
            Settings = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [AdaptedTextEncoder.BaseSetting] = MiniLmEncoderFiles.Version,
                [OnnxTextEncoder.DimensionSetting] = result.Weights.Dimension.ToString(CultureInfo.InvariantCulture),
            },
        };
        return store.Publish(card, directory => ModelStore.WriteJson(directory, AdaptedTextEncoder.AdapterFile, result.Weights));
    }

    /// <summary>Publishes an already trained encoder as the next "encoder" version.</summary>
    public static ModelCard Publish(ModelStore store, EncoderTrainingResult result, TrainingDataRange data)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(data);
        var weights = result.Weights;
        var card = new ModelCard
        {
            Name = EmbeddedModelFiles.Encoder,
            Version = store.NextVersion(EmbeddedModelFiles.Encoder),
            CreatedAt = DateTimeOffset.UtcNow,
            TrainingData = data,
            Metrics = result.Metrics(),
            Settings = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [OnnxTextEncoder.DimensionSetting] = weights.Dimension.ToString(CultureInfo.InvariantCulture),
                [OnnxTextEncoder.MaxSequenceLengthSetting] = weights.MaxSequenceLength.ToString(CultureInfo.InvariantCulture),
                [OnnxTextEncoder.OutputNameSetting] = EncoderExporter.OutputName,
                [OnnxTextEncoder.LowerCaseSetting] = weights.LowerCase ? "true" : "false",
                ["embedding_dimension"] = weights.EmbeddingDimension.ToString(CultureInfo.InvariantCulture),
                ["vocab_size"] = weights.Vocabulary.Count.ToString(CultureInfo.InvariantCulture),
            },
        };
        return store.Publish(card, directory => EncoderExporter.Export(directory, weights));
    }
}
