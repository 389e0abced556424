using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Training.Mlp;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Tests.Mlp;

/// <summary>
/// The differentiable Plackett-Luce log-probability gives the number serving computes, and a gradient that is
/// right (finite differences of the C# value), finite, nonzero, and reaches the policy network's weights.
/// </summary>
public sealed class PlackettLuceTorchTests
{
    private static readonly double[] Scores = [0.7, -1.2, 2.4, 0.05, -0.3, 1.1];

    public static TheoryData<int[], double, int[]> Cases => new()
    {
        { [2], 1.0, [] },
        { [2, 0, 5], 1.0, [] },
        { [1, 4, 3], 0.5, [] },
        { [5, 2, 0, 1, 4, 3], 2.0, [] },
        { [0, 3], 0.8, [2] },
        { [4, 1, 3], 1.7, [2, 5] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_the_serving_log_probability(int[] ordering, double temperature, int[] excluded)
    {
        var excludedSet = excluded.ToHashSet();
        var expected = PlackettLuce.LogProbability(Scores, ordering, temperature, excludedSet);

        using var scores64 = tensor(Scores);
        using var logp64 = PlackettLuceTorch.LogProbability(scores64, ordering, temperature, excludedSet);
        Assert.Equal(0, logp64.dim());
        Assert.Equal(expected, logp64.item<double>(), 1e-12);

        using var scores32 = tensor(Scores.Select(s => (float)s).ToArray());
        using var logp32 = PlackettLuceTorch.LogProbability(scores32, ordering, temperature, excludedSet);
        Assert.Equal(expected, logp32.item<float>(), 1e-5);
    }

    [Fact]
    public void Several_orderings_in_one_pass_give_each_orderings_own_log_probability_and_gradient()
    {
        int[][] orderings = [[2, 0, 5], [1], [], [5, 2, 0, 1, 4, 3], [4, 1, 3]];
        var excluded = new HashSet<int>();
        using var scores = tensor(Scores).requires_grad_();

        using var together = PlackettLuceTorch.LogProbabilities(scores, orderings, 0.9, excluded);
        Assert.Equal(new long[] { orderings.Length }, together.shape);
        var values = together.data<double>().ToArray();
        for (var m = 0; m < orderings.Length; m++)
            Assert.Equal(PlackettLuce.LogProbability(Scores, orderings[m], 0.9, excluded), values[m], 1e-12);

        // The gradient of a weighted sum is the weighted sum of the orderings' own gradients.
        using var weights = tensor(new double[] { 1, -2, 3, 0.5, 1.5 });
        (together * weights).sum().backward();
        var joint = scores.grad!.data<double>().ToArray();
        var separate = new double[Scores.Length];
        for (var m = 0; m < orderings.Length; m++)
        {
            using var own = tensor(Scores).requires_grad_();
            using var logp = Alone(own, orderings[m]);
            if (!logp.requires_grad)
                continue; // an empty ordering is a constant
            logp.backward();
            var g = own.grad!.data<double>().ToArray();
            for (var i = 0; i < g.Length; i++)
                separate[i] += weights.data<double>()[m] * g[i];
        }
        for (var i = 0; i < Scores.Length; i++)
            Assert.Equal(separate[i], joint[i], 1e-10);
    }

    private static Tensor Alone(Tensor scores, int[] ordering) => PlackettLuceTorch.LogProbability(scores, ordering, 0.9);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_finite_differences_and_ignores_excluded_candidates(int[] ordering, double temperature, int[] excluded)
    {
        var excludedSet = excluded.ToHashSet();
        using var scores = tensor(Scores).requires_grad_();
        using var logp = PlackettLuceTorch.LogProbability(scores, ordering, temperature, excludedSet);
        logp.backward();
        var gradient = scores.grad!.data<double>().ToArray();

        Assert.All(gradient, g => Assert.True(double.IsFinite(g)));
        Assert.Contains(gradient, g => Math.Abs(g) > 1e-3);
        const double h = 1e-6;
        for (var i = 0; i < Scores.Length; i++)
        {
            var up = (double[])Scores.Clone();
            var down = (double[])Scores.Clone();
            up[i] += h;
            down[i] -= h;
            var numeric = (PlackettLuce.LogProbability(up, ordering, temperature, excludedSet) - PlackettLuce.LogProbability(down, ordering, temperature, excludedSet)) / (2 * h);
            Assert.Equal(numeric, gradient[i], 1e-6);
            if (excludedSet.Contains(i))
                Assert.Equal(0.0, gradient[i]);
        }
        // Adding a constant to every score changes no probability, so the gradient sums to zero.
        Assert.Equal(0.0, gradient.Sum(), 1e-12);
    }

    [Fact]
    public void Gradient_reaches_the_policy_network_through_its_scores()
    {
        using var network = TorchMlp.Create([4, 8, 1], seed: 13);
        var claims = TorchMlpTests.RandomRows(6, 4, new Random(2), scale: 1);
        using var x = tensor(claims.SelectMany(r => r).ToArray(), [6, 4]);
        using var scores = network.forward(x); // [6, 1], accepted as is
        using var logp = PlackettLuceTorch.LogProbability(scores, [3, 1, 5], 0.7, null);

        var served = new Models.Embedded.Mlp(network.ToWeights());
        var expected = PlackettLuce.LogProbability(claims.Select(c => (double)served.Score(c)).ToArray(), [3, 1, 5], 0.7);
        Assert.Equal(expected, logp.item<float>(), 1e-5);

        network.zero_grad();
        logp.backward();
        var norms = network.parameters().Select(p => p.grad!.norm().item<float>()).ToList();
        Assert.All(norms, n => Assert.True(float.IsFinite(n)));
        Assert.True(norms.Sum() > 1e-4, $"gradient norms {string.Join(", ", norms)}");
    }

    [Fact]
    public void Bad_orderings_and_settings_are_refused_and_an_empty_ordering_is_certain()
    {
        using var scores = tensor(Scores);
        Assert.Throws<ArgumentException>(() => PlackettLuceTorch.LogProbability(scores, [1, 1], 1.0, null));
        Assert.Throws<ArgumentException>(() => PlackettLuceTorch.LogProbability(scores, [6], 1.0, null));
        Assert.Throws<ArgumentException>(() => PlackettLuceTorch.LogProbability(scores, [2], 1.0, new HashSet<int> { 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => PlackettLuceTorch.LogProbability(scores, [2], 0, null));
        using var matrix = zeros(2, 3);
        Assert.Throws<ArgumentException>(() => PlackettLuceTorch.LogProbability(matrix, [0], 1.0, null));
        using var empty = PlackettLuceTorch.LogProbability(scores, [], 1.0, null);
        Assert.Equal(0.0, empty.item<double>());
    }
}
