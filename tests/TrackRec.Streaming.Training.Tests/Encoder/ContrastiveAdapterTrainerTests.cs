using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Training.Encoder;
using TrackRec.Streaming.Training.Tests.Reproducibility;

namespace TrackRec.Streaming.Tests.Encoder;

/// <summary>The adapter must learn a link the frozen vectors do not carry, and serve it through the plain-C# adapter.</summary>
public sealed class ContrastiveAdapterTrainerTests
{
    private const int Width = 48;
    private const int Genres = 12;

    // Anchors sit near one random centre per genre, positives near ANOTHER random centre of the same genre:
    // the frozen vectors do not link them (cosine ~ 0), a linear map can.
    private static List<(float[] Anchor, float[] Positive, string PositiveKey)> Pairs(int count, int seed)
    {
        var random = new Random(seed);
        var anchorCentres = Enumerable.Range(0, Genres).Select(_ => Gaussian(random)).ToArray();
        var positiveCentres = Enumerable.Range(0, Genres).Select(_ => Gaussian(random)).ToArray();
        var pairs = new List<(float[], float[], string)>();
        for (var i = 0; i < count; i++)
        {
            var genre = random.Next(Genres);
            pairs.Add((Noisy(anchorCentres[genre], random), Noisy(positiveCentres[genre], random), $"genre {genre}"));
        }
        return pairs;
    }

    [Fact]
    public void Training_lifts_held_out_retrieval_far_above_the_frozen_vectors_and_chance()
    {
        var pairs = Pairs(1200, seed: 3);

        var result = ContrastiveAdapterTrainer.Train(pairs, new AdapterTrainingOptions { Epochs = 30, LearningRate = 1e-2, Seed = 5, HeldOutShare = 0.2, EvaluationGroupSize = 12 });

        Assert.True(result.FinalLoss < result.FirstEpochLoss, result.ToString());
        Assert.True(result.PretrainedHeldOutAccuracy < result.HeldOutChance + 0.15, result.ToString());
        Assert.True(result.HeldOutAccuracy > 0.8, result.ToString());
        Assert.Equal(240, result.HeldOutPairs);
    }

    [Fact]
    public void The_plain_adapter_serves_what_training_learnt()
    {
        var pairs = Pairs(1200, seed: 3);
        var weights = ContrastiveAdapterTrainer.Train(pairs, new AdapterTrainingOptions { Epochs = 30, LearningRate = 1e-2, Seed = 5 }).Weights;
        var fresh = Pairs(1600, seed: 3)[1200..]; // the same centres, pairs not trained on

        // Each new anchor's nearest positive centre, through EncoderAdapterWeights.Apply and with no adapter.
        double Accuracy(Func<float[], float[]> map)
        {
            var keys = fresh.Select(p => p.PositiveKey).Distinct().ToList();
            var centres = keys.Select(k => Mean(fresh.Where(p => p.PositiveKey == k).Select(p => map(p.Positive)).ToList())).ToList();
            return fresh.Count(p => keys[Enumerable.Range(0, keys.Count).MaxBy(i => Dot(map(p.Anchor), centres[i]))] == p.PositiveKey) / (double)fresh.Count;
        }

        Assert.True(Accuracy(weights.Apply) > 0.9, $"adapted {Accuracy(weights.Apply)}");
        Assert.True(Accuracy(EncoderAdapterWeights.Identity(Width).Apply) < 0.5, $"identity {Accuracy(EncoderAdapterWeights.Identity(Width).Apply)}");
        Assert.Equal(1.0, Math.Sqrt(weights.Apply(fresh[0].Anchor).Sum(x => (double)x * x)), 4);
    }

    [Fact]
    public void The_same_seed_gives_the_same_adapter()
    {
        var pairs = Pairs(300, seed: 9);
        var options = new AdapterTrainingOptions { Epochs = 3, Seed = 11 };

        Assert.Equal(ContrastiveAdapterTrainer.Train(pairs, options).Weights.Weight, ContrastiveAdapterTrainer.Train(pairs, options).Weights.Weight);
    }

    private static float[] Gaussian(Random random) => Enumerable.Range(0, Width).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

    private static float[] Noisy(float[] centre, Random random)
    {
        var v = centre.Select(c => c + (float)(0.5 * (random.NextDouble() * 2 - 1))).ToArray();
        var norm = (float)Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static float[] Mean(List<float[]> vectors) => Enumerable.Range(0, Width).Select(i => vectors.Average(v => v[i])).ToArray();

    private static double Dot(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);

    [Fact]
    public void Training_leaves_no_tensor_to_a_finalizer()
    {
        var pairs = Pairs(200, seed: 3);
        var options = new AdapterTrainingOptions { Epochs = 2, Seed = 5, HeldOutShare = 0.2, EvaluationGroupSize = 12 };
        ContrastiveAdapterTrainer.Train(pairs, options);

        Assert.Equal(0, TensorLifetime.LeftUndisposed(() => ContrastiveAdapterTrainer.Train(pairs, options)));
    }
}
