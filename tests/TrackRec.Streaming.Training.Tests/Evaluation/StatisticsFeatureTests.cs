using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Tests.Evaluation;

/// <summary>B1's statistics are the validator's: the same numbers where both read them.</summary>
public sealed class StatisticsFeatureTests
{
    [Fact]
    public void Statistics_match_the_validators_features_and_count_the_items_categories()
    {
        var t = DateTimeOffset.UnixEpoch;
        HistoryItemView View(string id, string category, Signal signal) => new(id, id, [category], signal, t, null);
        var evidence = CategoryEvidence.From([View("a", "Drama", Signal.Click), View("b", "Drama", Signal.Impression), View("c", "Comedy", Signal.Impression), View("d", "Drama", Signal.Click)]);
        var priors = new CategoryPriors { OverallRate = 0.3, ClickRate = new Dictionary<string, double> { ["Drama"] = 0.6 } };
        var item = new CandidateItem("x", "X", ["Drama"]);

        var statistics = ValidatorFeatures.Statistics(item, evidence, priors);
        var validator = ValidatorFeatures.Of([], item, evidence, priors);

        Assert.Equal((float)Math.Log(3), statistics[0], 5); // two engaged Drama items
        Assert.Equal((float)Math.Log(2), statistics[1], 5); // one Drama impression
        Assert.Equal(validator[8], statistics[3]);
        Assert.Equal(validator[9], statistics[4]);
        Assert.Equal(validator[10], statistics[5]);
        Assert.Equal(0.6f, statistics[5], 5);
    }
}
