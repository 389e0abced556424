using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Training.Encoder;

namespace TrackRec.Streaming.Tests.Encoder;

/// <summary>The default encoder role: an adapter version over the shipped MiniLM, loadable from the model directory.</summary>
public sealed class AdapterPublishingTests
{
    [Fact]
    public async Task The_published_adapter_loads_over_MiniLM_and_serves_adapted_MiniLM_vectors()
    {
        using var dir = new ScratchDirectory();
        var store = new ModelStore(dir.Path);
        var pairs = SyntheticPairs.Make(200, seed: 7);
        var data = new TrainingDataRange("synthetic", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), 1000, pairs.Count);

        var card = EncoderTraining.TrainAdapterAndPublish(store, pairs, new AdapterTrainingOptions { Epochs = 2, Seed = 7 }, data);

        Assert.Equal("encoder-v1", card.Version);
        Assert.Equal([AdaptedTextEncoder.AdapterFile], card.Files);
        Assert.Equal(MiniLmEncoderFiles.Version, card.Settings[AdaptedTextEncoder.BaseSetting]);
        Assert.Contains("heldout_retrieval_accuracy_pretrained", card.Metrics.Keys);
        Assert.True(AdaptedTextEncoder.IsAdapter(store.Current(EmbeddedModelFiles.Encoder)!));

        var encoder = AdaptedTextEncoder.FromModelStore(store, store.Current(EmbeddedModelFiles.Encoder)!);
        var weights = store.ReadJson<EncoderAdapterWeights>(card, AdaptedTextEncoder.AdapterFile);
        Assert.Contains(weights.Weight, w => w != 0); // training moved it off the identity
        var texts = new[] { pairs[0].Anchor, pairs[0].Positive };
        var served = await encoder.EncodeAsync(texts, TestContext.Current.CancellationToken);
        var pretrained = await MiniLmEncoderFiles.Shared.EncodeAsync(texts, TestContext.Current.CancellationToken);
        Assert.Equal(MiniLmEncoderFiles.Dimension, encoder.Dimension);
        for (var i = 0; i < texts.Length; i++)
            Assert.Equal(weights.Apply(pretrained[i]), served[i]);
        Assert.NotEqual(pretrained[0], served[0]);
    }
}
