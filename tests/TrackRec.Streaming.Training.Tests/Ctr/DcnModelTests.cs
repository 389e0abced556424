using TrackRec.Streaming.Training.Ctr;

namespace TrackRec.Streaming.Tests.Ctr;

/// <summary>The DCN backbone beside DIN: trained by the same trainer on the same rows.</summary>
public sealed class DcnModelTests
{
    private static readonly CtrTrainingOptions Budget = new() { Backbone = CtrBackbone.Dcn, Epochs = 12, BatchSize = 64, LearningRate = 5e-3, Patience = 3, Seed = 5 };

    [Fact]
    public void Dcn_learns_a_label_that_depends_on_the_overlap_of_target_and_history_categories()
    {
        var train = SyntheticCtr.Make(3000, seed: 1, SyntheticCtr.Overlap);
        var test = SyntheticCtr.Make(1000, seed: 2, SyntheticCtr.Overlap);

        var result = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, Budget);

        Assert.True(result.TestAuc > 0.75, $"test AUC {result.TestAuc:F3}");
    }

    [Fact]
    public void Dcn_reads_the_dense_features()
    {
        var train = SyntheticCtr.Make(3000, seed: 6, SyntheticCtr.Coin, SyntheticCtr.NoisyCopy);
        var test = SyntheticCtr.Make(1000, seed: 7, SyntheticCtr.Coin, SyntheticCtr.NoisyCopy);

        var without = CtrTrainer.Train(SyntheticCtr.Shape(), train.WithoutChainFeatures(), test.WithoutChainFeatures(), Budget);
        var with = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, Budget);

        Assert.True(with.TestAuc > without.TestAuc + 0.2, $"with features {with.TestAuc:F3}, without {without.TestAuc:F3}");
    }

    [Fact]
    public void Dcn_and_din_are_different_models_and_each_repeats_for_a_seed()
    {
        var train = SyntheticCtr.Make(600, seed: 3, SyntheticCtr.Overlap);
        var test = SyntheticCtr.Make(200, seed: 4, SyntheticCtr.Overlap);
        var dcn = Budget with { Epochs = 2 };

        var a = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, dcn);
        var b = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, dcn);
        var din = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, dcn with { Backbone = CtrBackbone.Din });

        Assert.Equal(a.TestLogits, b.TestLogits);
        Assert.NotEqual(a.TestLogits, din.TestLogits);
        Assert.NotEqual(a.Parameters, din.Parameters);
    }
}
