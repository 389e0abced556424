using TrackRec.Streaming.Processing;
using Xunit;

namespace TrackRec.Streaming.Tests.Processing;

public sealed class AucAccumulatorTests
{
    private static AucAccumulator Of(params (double Score, bool Positive)[] pairs)
    {
        var auc = new AucAccumulator();
        foreach (var (score, positive) in pairs)
            auc.Add(score, positive);
        return auc;
    }

    [Fact]
    public void Perfect_ranking_is_one()
    {
        var auc = Of((0.9, true), (0.8, true), (0.3, false), (0.1, false), (0.2, false));

        Assert.Equal(1.0, auc.Auc());
        Assert.Equal(5, auc.Count);
    }

    [Fact]
    public void Reversed_ranking_is_zero()
    {
        Assert.Equal(0.0, Of((0.1, true), (0.2, true), (0.8, false), (0.9, false)).Auc());
    }

    [Fact]
    public void All_ties_are_one_half()
    {
        Assert.Equal(0.5, Of((0.4, true), (0.4, false), (0.4, true), (0.4, false), (0.4, false)).Auc());
    }

    [Fact]
    public void Ties_count_half_against_the_rest()
    {
        // Positives 0.8 and 0.5, negatives 0.5 and 0.2: wins 1 + 1 + 0.5 + 1 of 4 pairs.
        Assert.Equal(0.875, Of((0.8, true), (0.5, true), (0.5, false), (0.2, false)).Auc());
    }

    [Fact]
    public void One_class_only_has_no_auc()
    {
        Assert.Null(new AucAccumulator().Auc());
        Assert.Null(Of((0.9, true), (0.1, true)).Auc());
        Assert.Null(Of((0.9, false), (0.1, false)).Auc());
    }

    [Fact]
    public void Scores_outside_the_unit_interval_are_clamped_and_nan_is_a_tie_in_the_middle()
    {
        Assert.Equal(1.0, Of((7, true), (-3, false)).Auc());
        Assert.Equal(0.5, Of((1.5, true), (1.0, false)).Auc());
        Assert.Equal(0.5, Of((double.NaN, true), (0.5, false)).Auc());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Matches_the_exact_rank_auc_on_random_data(int seed)
    {
        var random = new Random(seed);
        var pairs = new List<(double Score, bool Positive)>();
        for (var i = 0; i < 3000; i++)
        {
            var positive = random.NextDouble() < 0.3;
            // Informative but noisy scores, some quantised to force exact ties.
            var score = Math.Clamp((positive ? 0.6 : 0.4) + (random.NextDouble() - 0.5) * 0.8, 0, 1);
            if (i % 5 == 0)
                score = Math.Round(score, 1);
            pairs.Add((score, positive));
        }

        var auc = Of([.. pairs]).Auc();

        Assert.NotNull(auc);
        Assert.InRange(auc.Value, ExactAuc(pairs) - 1e-3, ExactAuc(pairs) + 1e-3);
    }

    [Fact]
    public void Concurrent_adds_are_all_counted()
    {
        var auc = new AucAccumulator();

        Parallel.For(0, 10_000, i => auc.Add(i % 2 == 0 ? 0.9 : 0.1, i % 2 == 0));

        Assert.Equal(10_000, auc.Count);
        Assert.Equal(1.0, auc.Auc());
    }

    // P(positive > negative) over every pair, ties counting half.
    private static double ExactAuc(List<(double Score, bool Positive)> pairs)
    {
        double wins = 0;
        long total = 0;
        foreach (var p in pairs.Where(p => p.Positive))
        {
            foreach (var n in pairs.Where(n => !n.Positive))
            {
                wins += p.Score > n.Score ? 1 : p.Score == n.Score ? 0.5 : 0;
                total++;
            }
        }
        return wins / total;
    }
}
