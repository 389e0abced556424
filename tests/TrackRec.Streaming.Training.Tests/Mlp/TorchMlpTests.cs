using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Training.Mlp;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Tests.Mlp;

/// <summary>
/// The TorchSharp network and the serving C# network are one function: weights survive the round trip
/// bit for bit, outputs agree to float rounding, and the standardisation folded into the first layer gives on
/// raw features what the torch network gives on standardised ones.
/// </summary>
public sealed class TorchMlpTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Create_is_deterministic_for_a_seed_and_has_the_requested_layers()
    {
        using var a = TorchMlp.Create([6, 32, 16, 1], seed: 3);
        using var b = TorchMlp.Create([6, 32, 16, 1], seed: 3);
        using var c = TorchMlp.Create([6, 32, 16, 1], seed: 4);

        AssertSameWeights(a.ToWeights(), b.ToWeights());
        Assert.NotEqual(a.ToWeights().Layers[0].Weight, c.ToWeights().Layers[0].Weight);
        Assert.Equal(6, a.parameters().Count()); // weight and bias of 3 Linear layers, nothing else
        Assert.Equal([6, 32, 16, 1], a.LayerSizes);
        var weights = a.ToWeights();
        Assert.Equal([(6, 32), (32, 16), (16, 1)], weights.Layers.Select(l => (l.In, l.Out)));
        weights.Validate();
    }

    [Fact]
    public void Create_rejects_bad_sizes()
    {
        Assert.Throws<ArgumentException>(() => TorchMlp.Create([4], 1));
        Assert.Throws<ArgumentException>(() => TorchMlp.Create([4, 0, 1], 1));
    }

    [Fact]
    public void Weights_round_trip_exactly()
    {
        using var original = TorchMlp.Create([5, 7, 3], seed: 9);
        var weights = original.ToWeights();
        using var copy = TorchMlp.FromWeights(weights);
        AssertSameWeights(weights, copy.ToWeights());
    }

    [Fact]
    public void FromWeights_rejects_invalid_weights()
    {
        var bad = new MlpWeights { Layers = [new MlpLayer(2, 1, [1f], [0f])] };
        Assert.Throws<InvalidDataException>(() => TorchMlp.FromWeights(bad));
    }

    [Theory]
    [InlineData(new[] { 6, 32, 16, 1 })]
    [InlineData(new[] { 4, 8, 3 })]
    [InlineData(new[] { 3, 1 })]
    public void Torch_and_CSharp_networks_agree(int[] sizes)
    {
        using var network = TorchMlp.Create(sizes, seed: 21);
        var mlp = new Models.Embedded.Mlp(network.ToWeights());
        var inputs = RandomRows(300, sizes[0], new Random(5), scale: 3);

        var torchOutputs = Forward(network, inputs);
        var diff = 0.0;
        for (var r = 0; r < inputs.Length; r++)
        {
            var expected = mlp.Forward(inputs[r]);
            for (var o = 0; o < expected.Length; o++)
                diff = Math.Max(diff, Math.Abs(expected[o] - torchOutputs[r][o]));
        }
        Assert.True(diff < Tolerance, $"max abs diff {diff:E2}");
        Assert.Contains(torchOutputs, row => row.Any(v => v < 0)); // the last layer is linear on both sides
    }

    [Fact]
    public void Folded_standardisation_on_raw_features_matches_torch_on_standardised_features()
    {
        var (raw, _) = SyntheticClicks.Generate(400, seed: 8);
        var standardisation = FeatureStandardisation.Fit(raw);
        using var network = TorchMlp.Create([SyntheticClicks.Width, 16, 8, 1], seed: 2);
        var folded = new Models.Embedded.Mlp(network.ToWeights(standardisation));

        var torchOutputs = Forward(network, raw.Select(r => standardisation.Apply(r)).ToArray());
        var diff = 0.0;
        for (var r = 0; r < raw.Length; r++)
            diff = Math.Max(diff, Math.Abs(folded.Score(raw[r]) - torchOutputs[r][0]));
        Assert.True(diff < Tolerance, $"max abs diff {diff:E2}");

        // And folding is not a no-op: the unfolded weights on raw features compute something else.
        var unfolded = new Models.Embedded.Mlp(network.ToWeights());
        Assert.True(raw.Max(r => Math.Abs(unfolded.Score(r) - folded.Score(r))) > 1);
    }

    [Fact]
    public void Standardisation_fits_mean_and_population_deviation_and_keeps_constant_features()
    {
        float[][] rows = [[1f, 1000f, 7f], [3f, 3000f, 7f]];
        var s = FeatureStandardisation.Fit(rows);
        Assert.Equal([2.0, 2000.0, 7.0], s.Mean);
        Assert.Equal([1.0, 1000.0, 1.0], s.Scale); // the constant third feature divides by 1
        Assert.Equal([-1f, 1f, 0f], s.Apply([1f, 3000f, 7f]));
        Assert.Equal([1f, 1f, 0f], s.Apply(rows[1]));
        Assert.Throws<ArgumentException>(() => new FeatureStandardisation([0.0], [0.0]));
    }

    internal static float[][] Forward(TorchMlp network, float[][] inputs)
    {
        using var noGrad = no_grad();
        var width = inputs[0].Length;
        using var x = tensor(inputs.SelectMany(r => r).ToArray(), [inputs.Length, width]);
        using var y = network.forward(x);
        var outputs = (int)y.shape[1];
        var flat = y.data<float>().ToArray();
        return Enumerable.Range(0, inputs.Length).Select(r => flat.AsSpan(r * outputs, outputs).ToArray()).ToArray();
    }

    internal static float[][] RandomRows(int count, int width, Random random, double scale) =>
        Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, width).Select(_ => (float)((random.NextDouble() * 2 - 1) * scale)).ToArray()).ToArray();

    internal static void AssertSameWeights(MlpWeights expected, MlpWeights actual)
    {
        Assert.Equal(expected.Layers.Count, actual.Layers.Count);
        for (var i = 0; i < expected.Layers.Count; i++)
        {
            Assert.Equal(expected.Layers[i].In, actual.Layers[i].In);
            Assert.Equal(expected.Layers[i].Out, actual.Layers[i].Out);
            Assert.Equal(expected.Layers[i].Weight, actual.Layers[i].Weight);
            Assert.Equal(expected.Layers[i].Bias, actual.Layers[i].Bias);
        }
    }
}
