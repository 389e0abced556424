using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Tests.Embedded;

/// <summary>Exact AUC on cases whose answer is known, ties included, and checked against pair counting.</summary>
public sealed class AucTests
{
    [Fact]
    public void Perfect_ranking_is_one_and_reversed_is_zero()
    {
        double[] scores = [0.1, 0.4, 0.35, 0.8, 0.9];
        bool[] labels = [false, false, false, true, true];
        Assert.Equal(1.0, Auc.Compute(scores, labels));
        Assert.Equal(0.0, Auc.Compute(scores.Select(s => -s).ToArray(), labels));
    }

    [Fact]
    public void All_tied_is_one_half()
    {
        Assert.Equal(0.5, Auc.Compute([0.3, 0.3, 0.3, 0.3], [true, false, true, false]));
    }

    [Fact]
    public void Partial_ties_count_one_half_per_tied_pair()
    {
        // Positives 0.8 and 0.5, negatives 0.5 and 0.2: pairs (0.8>0.5)=1, (0.8>0.2)=1, (0.5=0.5)=0.5, (0.5>0.2)=1 -> 3.5 / 4.
        Assert.Equal(0.875, Auc.Compute([0.8, 0.5, 0.5, 0.2], [true, true, false, false]), 12);
    }

    [Fact]
    public void Matches_counting_all_pairs_on_random_data_with_ties()
    {
        var random = new Random(3);
        var scores = Enumerable.Range(0, 500).Select(_ => Math.Round(random.NextDouble() * 20) / 20).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 0.2 + 0.6 * s).ToArray();
        double wins = 0;
        long pairs = 0;
        for (var i = 0; i < scores.Length; i++)
            for (var j = 0; j < scores.Length; j++)
                if (labels[i] && !labels[j])
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
        Assert.Equal(wins / pairs, Auc.Compute(scores, labels), 12);
    }

    [Fact]
    public void One_class_is_undefined_and_bad_input_throws()
    {
        Assert.True(double.IsNaN(Auc.Compute([0.1, 0.2], [true, true])));
        Assert.True(double.IsNaN(Auc.Compute([], [])));
        Assert.Throws<ArgumentException>(() => Auc.Compute([0.1, 0.2], [true]));
        Assert.Throws<ArgumentException>(() => Auc.Compute([double.NaN, 0.2], [true, false]));
    }
}
