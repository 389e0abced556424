using TrackRec.Streaming.Training.Encoder;
using TrackRec.Streaming.Training.Tests.Reproducibility;

namespace TrackRec.Streaming.Tests.Encoder;

/// <summary>
/// Contrastive training must learn links the untrained network cannot see (the synthetic chains and items
/// share no words), and repeat exactly for a seed.
/// </summary>
public sealed class ContrastiveEncoderTrainerTests
{
    private static readonly EncoderTrainingOptions Quick = new() { Epochs = 8, Seed = 3 };

    [Fact]
    public void Training_raises_held_out_retrieval_accuracy_well_above_chance()
    {
        var result = ContrastiveEncoderTrainer.Train(SyntheticPairs.Make(3000, seed: 1), Quick);

        Assert.Equal(300, result.HeldOutPairs);
        Assert.InRange(result.HeldOutChance, 0.02, 0.06);            // about 1 / 32
        Assert.True(result.InitialHeldOutAccuracy < 0.15, $"untrained: {result}");
        Assert.True(result.HeldOutAccuracy > 0.35, $"trained: {result}");
        Assert.True(result.HeldOutAccuracy > result.InitialHeldOutAccuracy + 0.25, result.ToString());
        Assert.True(result.FinalLoss < result.FirstEpochLoss, result.ToString());
        Assert.Equal(32, result.Weights.Dimension);
        Assert.Equal(result.Weights.Vocabulary.Count * 64, result.Weights.Embedding.Length);
    }

    [Fact]
    public void The_same_seed_gives_the_same_weights_and_another_seed_does_not()
    {
        var pairs = SyntheticPairs.Make(600, seed: 2);
        var options = Quick with { Epochs = 2 };

        var a = ContrastiveEncoderTrainer.Train(pairs, options);
        var b = ContrastiveEncoderTrainer.Train(pairs, options);
        var c = ContrastiveEncoderTrainer.Train(pairs, options with { Seed = 4 });

        Assert.Equal(a.Weights.Embedding, b.Weights.Embedding);
        Assert.Equal(a.Weights.Projection, b.Weights.Projection);
        Assert.Equal(a.FinalLoss, b.FinalLoss);
        Assert.NotEqual(a.Weights.Projection, c.Weights.Projection);
    }

    [Fact]
    public void Bad_options_name_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => ContrastiveEncoderTrainer.Train(SyntheticPairs.Make(10, 1), new EncoderTrainingOptions { BatchSize = 1 }));
        Assert.Contains("EncoderTrainingOptions.BatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_leaves_no_tensor_to_a_finalizer()
    {
        var pairs = SyntheticPairs.Make(300, seed: 1);
        var options = Quick with { Epochs = 1 };
        var weights = ContrastiveEncoderTrainer.Train(pairs, options).Weights;
        ContrastiveEncoderTrainer.Embed(weights, ["a chain", "an item"]);

        Assert.Equal(0, TensorLifetime.LeftUndisposed(() => ContrastiveEncoderTrainer.Train(pairs, options)));
        Assert.Equal(0, TensorLifetime.LeftUndisposed(() => ContrastiveEncoderTrainer.Embed(weights, ["a chain", "an item"])));
    }
}
