using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.UserState;
using static TrackRec.Streaming.Tests.Embedded.ClaimTestHistory;

namespace TrackRec.Streaming.Tests.Embedded;

public sealed class CategoryEvidenceTests
{
    [Fact]
    public void Counts_impressions_and_engagements_per_category()
    {
        var evidence = CategoryEvidence.From(Mixed());

        Assert.Equal(9, evidence.HistoryLength);
        Assert.Equal((3, 6), (evidence.TotalEngaged, evidence.TotalShown));
        Assert.Equal(["jazz", "crime", "pop", "folk"], evidence.Categories);
        Assert.Equal((1, 2, 0), (evidence.Shown("jazz"), evidence.Engaged("jazz"), evidence.Skipped("jazz")));
        Assert.Equal((3, 0, 3), (evidence.Shown("crime"), evidence.Engaged("crime"), evidence.Skipped("crime")));
        Assert.Equal((1, 0, 1), (evidence.Shown("pop"), evidence.Engaged("pop"), evidence.Skipped("pop")));
        Assert.Equal((1, 1, 0), (evidence.Shown("folk"), evidence.Engaged("folk"), evidence.Skipped("folk")));
        Assert.Equal((0, 0, 0), (evidence.Shown("opera"), evidence.Engaged("opera"), evidence.Skipped("opera")));
    }

    [Fact]
    public void Splits_engagements_into_the_newest_third_and_before()
    {
        var evidence = CategoryEvidence.From(Mixed());

        // 9 interactions: indices 6..8 are the newest third.
        Assert.Equal((0, 2), (evidence.RecentEngaged("jazz"), evidence.EarlierEngaged("jazz")));
        Assert.Equal((1, 0), (evidence.RecentEngaged("folk"), evidence.EarlierEngaged("folk")));
        Assert.Equal((0, 0), (evidence.RecentEngaged("crime"), evidence.EarlierEngaged("crime")));
    }

    [Fact]
    public void Recency_is_the_position_of_the_newest_evidence()
    {
        var evidence = CategoryEvidence.From(Mixed());

        Assert.Equal(5.0 / 8, evidence.Recency("jazz"), 12);
        Assert.Equal(4.0 / 8, evidence.Recency("crime"), 12);
        Assert.Equal(6.0 / 8, evidence.Recency("pop"), 12);
        Assert.Equal(1.0, evidence.Recency("folk"), 12);
        Assert.Equal(0.0, evidence.Recency("opera"));
    }

    [Fact]
    public void Rates_and_shares_are_smoothed_and_relative_to_all_engagements()
    {
        var evidence = CategoryEvidence.From(Mixed());

        Assert.Equal(3.0 / 3, evidence.EngagementRate("jazz"), 12);
        Assert.Equal(1.0 / 5, evidence.EngagementRate("crime"), 12);
        Assert.Equal(0.5, evidence.EngagementRate("opera"), 12);
        Assert.Equal(2.0 / 3, evidence.EngagedShare("jazz"), 12);
        Assert.Equal(1.0 / 3, evidence.EngagedShare("folk"), 12);
        Assert.Equal(0.0, evidence.EngagedShare("crime"));
    }

    [Fact]
    public void An_item_counts_for_each_of_its_categories()
    {
        var evidence = CategoryEvidence.From([View("x", Signal.Click, ["jazz", "live"]), View("y", Signal.Impression, ["live"])]);

        Assert.Equal((1, 0), (evidence.Engaged("jazz"), evidence.Shown("jazz")));
        Assert.Equal((1, 1), (evidence.Engaged("live"), evidence.Shown("live")));
        Assert.Equal((1, 1), (evidence.TotalEngaged, evidence.TotalShown));
    }

    [Fact]
    public void Keeps_comments_with_text_newest_last_and_counts_blank_ones_as_engagement()
    {
        var evidence = CategoryEvidence.From(
        [
            View("a", Signal.Comment, ["jazz"], "first", minute: 0),
            View("b", Signal.Comment, ["jazz"], "   ", minute: 1),
            View("c", Signal.Comment, ["jazz"], "second", minute: 2),
        ]);

        Assert.Equal(["first", "second"], evidence.Comments.Select(c => c.Text));
        Assert.Equal(3, evidence.Engaged("jazz"));
    }

    [Fact]
    public void An_empty_history_has_no_evidence()
    {
        var evidence = CategoryEvidence.From([]);

        Assert.Equal((0, 0, 0), (evidence.HistoryLength, evidence.TotalEngaged, evidence.TotalShown));
        Assert.Empty(evidence.Categories);
        Assert.Empty(evidence.Comments);
        Assert.Equal(0.0, evidence.EngagedShare("jazz"));
    }
}
