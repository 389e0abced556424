using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Training.Encoder;

namespace TrackRec.Streaming.Tests.Encoder;

/// <summary>TrainAndPublish must leave a loadable "encoder" version whose card tells serving how to use it and what training achieved.</summary>
public sealed class EncoderTrainingTests
{
    [Fact]
    public void TrainAndPublish_publishes_the_next_encoder_version_with_settings_and_metrics()
    {
        using var dir = new ScratchDirectory();
        var store = new ModelStore(dir.Path);
        var pairs = SyntheticPairs.Make(400, seed: 7);
        var data = new TrainingDataRange("synthetic", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), 1000, pairs.Count);
        var options = new EncoderTrainingOptions { Epochs = 1, Seed = 7 };

        var first = EncoderTraining.TrainAndPublish(store, pairs, options, data);
        var second = EncoderTraining.TrainAndPublish(store, pairs, options, data);

        Assert.Equal("encoder", first.Name);
        Assert.Equal("encoder-v1", first.Version);
        Assert.Equal("encoder-v2", second.Version);
        Assert.Equal("encoder-v2", store.Current("encoder")!.Version);
        Assert.Equal(["model.onnx", "vocab.txt"], first.Files);
        Assert.Equal(data, first.TrainingData);
        Assert.Equal("32", first.Settings["dimension"]);
        Assert.Equal("128", first.Settings["max_seq_len"]);
        Assert.Contains("final_loss", first.Metrics.Keys);
        Assert.Contains("heldout_retrieval_accuracy", first.Metrics.Keys);
        Assert.Equal(40, first.Metrics["heldout_pairs"]);

        using var encoder = OnnxTextEncoder.FromModelStore(store, store.Current("encoder")!);
        Assert.Equal("encoder-v2", encoder.Version);
        Assert.Equal(32, encoder.Dimension);
    }
}
