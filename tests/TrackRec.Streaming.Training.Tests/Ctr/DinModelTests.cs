using TrackRec.Streaming.Training.Ctr;

namespace TrackRec.Streaming.Tests.Ctr;

public sealed class DinModelTests
{
    private static readonly CtrTrainingOptions Budget = new() { Epochs = 12, BatchSize = 64, LearningRate = 5e-3, Patience = 3, Seed = 5 };

    [Fact]
    public void Din_learns_a_label_that_depends_on_the_overlap_of_target_and_history_categories()
    {
        var train = SyntheticCtr.Make(3000, seed: 1, SyntheticCtr.Overlap);
        var test = SyntheticCtr.Make(1000, seed: 2, SyntheticCtr.Overlap);

        var result = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, Budget);

        Assert.True(result.TestAuc > 0.8, $"test AUC {result.TestAuc:F3}");
        Assert.True(double.IsFinite(result.TestLogLoss) && result.TestLogLoss < 0.6, $"test log loss {result.TestLogLoss:F3}");
        Assert.Equal(2700, result.TrainExamples);
        Assert.Equal(300, result.ValidationExamples);
        Assert.False(result.ChainFeatures);
    }

    [Fact]
    public void The_same_seed_gives_the_same_result()
    {
        var train = SyntheticCtr.Make(600, seed: 3, SyntheticCtr.Overlap);
        var test = SyntheticCtr.Make(200, seed: 4, SyntheticCtr.Overlap);
        var budget = Budget with { Epochs = 2 };

        var a = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, budget);
        var b = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, budget);

        Assert.Equal(a.TestAuc, b.TestAuc);
        Assert.Equal(a.TestLogLoss, b.TestLogLoss);
    }

    [Fact]
    public void Chain_features_that_carry_signal_the_ids_do_not_raise_the_auc()
    {
        // The click is a coin flip the ids and history know nothing about; the chain vector is a noisy copy of it.
        static bool Coin(int target, int[] history, Random random) => random.NextDouble() < 0.4;
        static float Signal(bool clicked, Random random) => (clicked ? 1f : 0f) + (float)(random.NextDouble() * 1.6 - 0.8);
        var train = SyntheticCtr.Make(3000, seed: 6, Coin, Signal);
        var test = SyntheticCtr.Make(1000, seed: 7, Coin, Signal);

        var without = CtrTrainer.Train(SyntheticCtr.Shape(), train.WithoutChainFeatures(), test.WithoutChainFeatures(), Budget);
        var with = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, Budget);

        Assert.True(with.ChainFeatures);
        Assert.InRange(without.TestAuc, 0.35, 0.65);
        Assert.True(with.TestAuc > without.TestAuc + 0.2, $"with features {with.TestAuc:F3}, without {without.TestAuc:F3}");
    }

    [Fact]
    public void Unknown_ids_map_to_the_out_of_vocabulary_index_and_still_score()
    {
        var train = SyntheticCtr.Make(300, seed: 8, SyntheticCtr.Overlap);
        var test = SyntheticCtr.Make(100, seed: 9, SyntheticCtr.Overlap);
        Array.Fill(test.Users, 1L);
        Array.Fill(test.Items, 1L);

        var result = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, Budget with { Epochs = 1 });

        Assert.True(double.IsFinite(result.TestLogLoss));
    }
}
