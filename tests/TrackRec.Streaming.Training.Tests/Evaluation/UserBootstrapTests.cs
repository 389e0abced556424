using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Tests.Evaluation;

public sealed class UserBootstrapTests
{
    private static readonly Random Random = new(3);

    [Fact]
    public void A_clearly_better_model_has_an_interval_above_zero_and_an_equal_one_straddles_it()
    {
        var n = 600;
        var labels = Enumerable.Range(0, n).Select(_ => Random.NextDouble() < 0.3).ToArray();
        var users = Enumerable.Range(0, n).Select(i => i / 6).ToArray();
        var good = labels.Select(y => (y ? 1.0 : 0.0) + Random.NextDouble()).ToArray();
        var noise = labels.Select(_ => Random.NextDouble()).ToArray();
        var noise2 = labels.Select(_ => Random.NextDouble()).ToArray();

        var (mean, low, high) = UserBootstrap.AucDifference([good], [noise], labels, users, 300, seed: 1);
        Assert.True(low > 0.2, $"interval [{low}, {high}] around {mean}");
        Assert.InRange(mean, low, high);

        var (_, low2, high2) = UserBootstrap.AucDifference([noise2], [noise], labels, users, 300, seed: 1);
        Assert.True(low2 < 0 && high2 > 0, $"interval [{low2}, {high2}]");
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval()
    {
        bool[] labels = [true, false, true, false, false, true, false, false];
        int[] users = [0, 0, 1, 1, 2, 2, 3, 3];
        double[] a = [0.9, 0.2, 0.7, 0.4, 0.3, 0.8, 0.1, 0.5];
        double[] b = [0.5, 0.5, 0.6, 0.4, 0.7, 0.2, 0.3, 0.6];

        Assert.Equal(UserBootstrap.AucDifference([a], [b], labels, users, 200, 9), UserBootstrap.AucDifference([a], [b], labels, users, 200, 9));
    }
}
