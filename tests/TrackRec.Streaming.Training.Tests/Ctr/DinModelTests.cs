using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.Training.Ctr;
using TrackRec.Streaming.Training.Evaluation;
using TrackRec.Streaming.Training.Tests.Reproducibility;

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
        var train = SyntheticCtr.Make(3000, seed: 6, SyntheticCtr.Coin, SyntheticCtr.NoisyCopy);
        var test = SyntheticCtr.Make(1000, seed: 7, SyntheticCtr.Coin, SyntheticCtr.NoisyCopy);

        var without = CtrTrainer.Train(SyntheticCtr.Shape(), train.WithoutChainFeatures(), test.WithoutChainFeatures(), Budget);
        var with = CtrTrainer.Train(SyntheticCtr.Shape(), train, test, Budget);

        Assert.True(with.ChainFeatures);
        Assert.InRange(without.TestAuc, 0.35, 0.65);
        Assert.True(with.TestAuc > without.TestAuc + 0.2, $"with features {with.TestAuc:F3}, without {without.TestAuc:F3}");
    }

    [Fact]
    public void Unknown_ids_map_to_the_out_of_vocabulary_index_and_still_score()
    {
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 21, Users = 40, ImpressionsPerUser = 25 });
        var split = EvalSplit.Build(stream.Items, stream.Events, 0.7, new PipelineOptions(), heldOutOutcomes: 5);
        // Fit on half of the training users only, so the test rows hold both known and unknown ids.
        var knownUsers = split.Train.Select(l => l.Request.UserId).Distinct().Order(StringComparer.Ordinal)
            .Where((_, i) => i % 2 == 0).ToHashSet(StringComparer.Ordinal);
        var fitted = split.Train.Where(l => knownUsers.Contains(l.Request.UserId)).ToList();
        var knownItems = fitted.SelectMany(l => CtrFeaturizer.EngagedHistory(l, 10).Append(l.Item.ItemId)).ToHashSet(StringComparer.Ordinal);
        var featurizer = CtrFeaturizer.Fit(stream.Items, fitted);

        var test = featurizer.Build([.. split.Test.Select(l => new EvalImpression(l, null, null))], layout: null);

        Assert.Contains(split.Test, l => knownUsers.Contains(l.Request.UserId));
        Assert.Contains(split.Test, l => !knownUsers.Contains(l.Request.UserId));
        Assert.Contains(split.Test, l => !knownItems.Contains(l.Item.ItemId));
        for (var r = 0; r < split.Test.Count; r++)
        {
            var l = split.Test[r];
            if (knownUsers.Contains(l.Request.UserId))
                Assert.True(test.Users[r] >= 2, $"known user {l.Request.UserId} got index {test.Users[r]}");
            else
                Assert.Equal(OutOfVocabulary, test.Users[r]);
            if (knownItems.Contains(l.Item.ItemId))
                Assert.True(test.Items[r] >= 2, $"known item {l.Item.ItemId} got index {test.Items[r]}");
            else
                Assert.Equal(OutOfVocabulary, test.Items[r]);
        }

        var train = featurizer.Build([.. fitted.Select(l => new EvalImpression(l, null, null))], layout: null);
        var result = CtrTrainer.Train(featurizer.Shape, train, test, Budget with { Epochs = 1 });

        Assert.True(double.IsFinite(result.TestLogLoss));
    }

    /// <summary>The index <see cref="CtrFeaturizer"/> gives every id it did not see in training (0 is padding).</summary>
    private const long OutOfVocabulary = 1;

    [Theory]
    [InlineData(CtrBackbone.Din)]
    [InlineData(CtrBackbone.Dcn)]
    public void Training_leaves_no_tensor_to_a_finalizer(CtrBackbone backbone)
    {
        var train = SyntheticCtr.Make(400, seed: 6, SyntheticCtr.Coin, SyntheticCtr.NoisyCopy);
        var test = SyntheticCtr.Make(100, seed: 7, SyntheticCtr.Coin, SyntheticCtr.NoisyCopy);
        var budget = Budget with { Epochs = 2, Backbone = backbone };
        CtrTrainer.Train(SyntheticCtr.Shape(), train, test, budget);

        Assert.Equal(0, TensorLifetime.LeftUndisposed(() => CtrTrainer.Train(SyntheticCtr.Shape(), train, test, budget)));
    }
}
