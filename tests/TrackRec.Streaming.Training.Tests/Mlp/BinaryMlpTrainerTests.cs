using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Training.Mlp;
using TrackRec.Streaming.Training.Tests.Reproducibility;

namespace TrackRec.Streaming.Tests.Mlp;

/// <summary>
/// The trainer learns a non-linear problem whose features differ in scale by six orders of magnitude, the
/// exported weights (standardisation folded in) score raw features in the serving C# network as well as
/// training measured, a seed repeats a run exactly, and bad input fails with an ArgumentException that says why.
/// </summary>
public sealed class BinaryMlpTrainerTests(ITestOutputHelper output)
{
    [Fact]
    public void Learns_mixed_scale_features_and_the_exported_network_serves_raw_features()
    {
        var (x, y) = SyntheticClicks.Generate(6000, seed: 1);

        var result = BinaryMlpTrainer.Train(x, y, new BinaryTrainingOptions { Seed = 7 });
        output.WriteLine($"trained in {result.Elapsed.TotalMilliseconds:F0} ms, {result.EpochsRun} epochs (best {result.BestEpoch}), " +
                         $"train loss {result.TrainLoss:F4}, validation AUC {result.ValidationAuc:F4}, log loss {result.ValidationLogLoss:F4}");

        Assert.True(result.ValidationAuc > 0.9, $"validation AUC {result.ValidationAuc}");
        Assert.Equal(6000, result.Examples);
        Assert.Equal(1200, result.ValidationExamples); // the last 20%, a hold-out in time
        Assert.Equal(4800, result.TrainExamples);
        Assert.InRange(result.ValidationLogLoss, 0, 0.5); // well below the 0.69 of a coin
        Assert.InRange(result.TrainLoss, 0, 0.5);
        Assert.InRange(result.BestEpoch, 1, result.EpochsRun);

        // Serving: the C# network on RAW features (no scaler) reproduces the validation AUC training reported.
        var mlp = new Models.Embedded.Mlp(result.Weights);
        var validation = Enumerable.Range(4800, 1200).ToArray();
        var servedAuc = Auc.Compute(validation.Select(i => (double)mlp.Score(x[i])).ToArray(), validation.Select(i => y[i] == 1).ToArray());
        Assert.Equal(result.ValidationAuc, servedAuc, 3);

        // And its log loss too, so the folded bias (not only the ranking) is right.
        var logLoss = validation.Average(i =>
        {
            double z = mlp.Score(x[i]);
            return Math.Log(1 + Math.Exp(-Math.Abs(z))) + Math.Max(z, 0) - (y[i] == 1 ? z : 0);
        });
        Assert.Equal(result.ValidationLogLoss, logLoss, 3);
    }

    [Fact]
    public void Same_seed_gives_the_same_weights_and_another_seed_does_not()
    {
        var (x, y) = SyntheticClicks.Generate(1500, seed: 2);
        var options = new BinaryTrainingOptions { Seed = 11, Epochs = 8, ShuffleValidationSplit = true };

        var first = BinaryMlpTrainer.Train(x, y, options);
        var second = BinaryMlpTrainer.Train(x, y, options);
        var other = BinaryMlpTrainer.Train(x, y, options with { Seed = 12 });

        TorchMlpTests.AssertSameWeights(first.Weights, second.Weights);
        Assert.Equal(first.TrainLoss, second.TrainLoss);
        Assert.Equal(first.ValidationAuc, second.ValidationAuc);
        Assert.NotEqual(first.Weights.Layers[0].Weight, other.Weights.Layers[0].Weight);
    }

    [Fact]
    public void Options_shape_the_network_and_positive_weighting_still_learns()
    {
        var (x, y) = SyntheticClicks.Generate(3000, seed: 3);

        var result = BinaryMlpTrainer.Train(x, y, new BinaryTrainingOptions
        {
            HiddenSizes = [8],
            BalanceClasses = true,
            ShuffleValidationSplit = true,
            Patience = 2,
            Seed = 5,
        });

        Assert.Equal([(SyntheticClicks.Width, 8), (8, 1)], result.Weights.Layers.Select(l => (l.In, l.Out)));
        Assert.True(result.ValidationAuc > 0.9, $"validation AUC {result.ValidationAuc}");
        Assert.True(result.EpochsRun - result.BestEpoch <= 2, $"ran {result.EpochsRun} epochs, best {result.BestEpoch}, patience 2");
    }

    [Fact]
    public void Without_validation_every_epoch_runs_and_metrics_are_NaN()
    {
        var (x, y) = SyntheticClicks.Generate(500, seed: 4);

        var result = BinaryMlpTrainer.Train(x, y, new BinaryTrainingOptions { ValidationFraction = 0, Epochs = 3, HiddenSizes = [] });

        Assert.Equal(3, result.EpochsRun);
        Assert.Equal(3, result.BestEpoch);
        Assert.Equal(0, result.ValidationExamples);
        Assert.True(double.IsNaN(result.ValidationAuc));
        Assert.True(double.IsNaN(result.ValidationLogLoss));
        Assert.Single(result.Weights.Layers); // no hidden layer: logistic regression
    }

    public static TheoryData<string, float[][], float[]> BadData => new()
    {
        { "no examples", [], [] },
        { "one class", [[1f], [2f], [3f]], [1f, 1f, 1f] },
        { "only negatives", [[1f], [2f]], [0f, 0f] },
        { "counts differ", [[1f], [2f]], [0f] },
        { "ragged", [[1f, 2f], [2f]], [0f, 1f] },
        { "empty rows", [[], []], [0f, 1f] },
        { "not finite", [[float.NaN], [2f]], [0f, 1f] },
        { "soft label", [[1f], [2f]], [0f, 0.5f] },
    };

    [Theory]
    [MemberData(nameof(BadData))]
    public void Bad_data_is_an_argument_exception(string why, float[][] x, float[] y)
    {
        var error = Assert.Throws<ArgumentException>(() => BinaryMlpTrainer.Train(x, y, new BinaryTrainingOptions()));
        output.WriteLine($"{why}: {error.Message}");
    }

    [Fact]
    public void A_training_split_with_one_class_is_refused_with_a_hint()
    {
        // Both classes overall, but the positives are all in the last 20% that validates.
        var x = Enumerable.Range(0, 50).Select(i => new[] { (float)i }).ToArray();
        var y = Enumerable.Range(0, 50).Select(i => i >= 45 ? 1f : 0f).ToArray();

        var error = Assert.Throws<ArgumentException>(() => BinaryMlpTrainer.Train(x, y, new BinaryTrainingOptions()));
        Assert.Contains("training split", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        var (x, y) = SyntheticClicks.Generate(100, seed: 5);
        Assert.Throws<ArgumentException>(() => BinaryMlpTrainer.Train(x, y, new BinaryTrainingOptions { ValidationFraction = 1 }));
        Assert.Throws<ArgumentException>(() => BinaryMlpTrainer.Train(x, y, new BinaryTrainingOptions { HiddenSizes = [0] }));
        Assert.Throws<ArgumentException>(() => BinaryMlpTrainer.Train(x, y, new BinaryTrainingOptions { BalanceClasses = true, PositiveWeight = 2 }));
    }

    [Fact]
    public void Training_leaves_no_tensor_to_a_finalizer()
    {
        var (x, y) = SyntheticClicks.Generate(600, seed: 2);
        var options = new BinaryTrainingOptions { Seed = 7, Epochs = 2 };
        BinaryMlpTrainer.Train(x, y, options); // first use: TorchSharp's own one-time setup is not ours

        Assert.Equal(0, TensorLifetime.LeftUndisposed(() => BinaryMlpTrainer.Train(x, y, options)));
    }
}
