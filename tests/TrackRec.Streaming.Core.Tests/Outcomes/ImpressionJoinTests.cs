using TrackRec.Streaming.Events;
using TrackRec.Streaming.Outcomes;
using Xunit;

namespace TrackRec.Streaming.Tests.Outcomes;

public sealed class ImpressionJoinTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    private static ImpressionJoin<string> NewJoin() => new(new AttributionOptions { Window = Window, Grace = Grace });

    private static Impression Imp(string id, DateTimeOffset at, string user = "u1", string item = "i1") => new("e-" + id, user, item, at, id);

    private static Click ClickOn(DateTimeOffset at, string? impressionId = null, string user = "u1", string item = "i1") =>
        new("c-" + at.Ticks, user, item, at, impressionId);

    [Fact]
    public void Click_with_impression_id_within_window_labels_clicked_once_and_returns_the_source()
    {
        var join = NewJoin();
        Assert.Null(join.AddImpression(Imp("imp1", T0), "rec-7"));

        var result = join.AddEngagement(ClickOn(T0.AddMinutes(3), "imp1"));

        Assert.NotNull(result);
        Assert.Equal("rec-7", result.ImpressionOrigin);
        Assert.Equal(new Outcome("imp1", "u1", "i1", T0, OutcomeLabel.Clicked, T0.AddMinutes(3), false, T0.AddMinutes(3)), result.Outcome);
        Assert.Equal(0, join.OpenImpressions);
        // Nothing more is owed for it, ever.
        Assert.Empty(join.AdvanceWatermark(T0.AddDays(1)));
        Assert.Empty(join.Flush(T0.AddDays(1)));
    }

    [Fact]
    public void Click_at_the_window_edge_counts_and_just_after_does_not()
    {
        var join = NewJoin();
        join.AddImpression(Imp("a", T0), "a");
        join.AddImpression(Imp("b", T0, item: "i2"), "b");

        var atEdge = join.AddEngagement(ClickOn(T0 + Window, "a"));
        var late = join.AddEngagement(ClickOn(T0 + Window + TimeSpan.FromTicks(1), "b", item: "i2"));

        Assert.Equal(OutcomeLabel.Clicked, atEdge?.Outcome.Label);
        Assert.Null(late);
        Assert.Equal(1, join.OpenImpressions);
    }

    [Fact]
    public void Click_without_impression_id_goes_to_the_latest_open_impression_of_the_same_user_and_item()
    {
        var join = NewJoin();
        join.AddImpression(Imp("old", T0), "old");
        join.AddImpression(Imp("other-item", T0.AddMinutes(2), item: "i2"), "other-item");
        join.AddImpression(Imp("other-user", T0.AddMinutes(2), user: "u2"), "other-user");
        join.AddImpression(Imp("new", T0.AddMinutes(1)), "new");

        var result = join.AddEngagement(ClickOn(T0.AddMinutes(5)));

        Assert.Equal("new", result?.Outcome.ImpressionId);
        Assert.Equal("new", result?.ImpressionOrigin);
        // A second id-less click now goes to the remaining one of that user and item.
        Assert.Equal("old", join.AddEngagement(ClickOn(T0.AddMinutes(6)))?.Outcome.ImpressionId);
        Assert.Equal(2, join.OpenImpressions);
    }

    [Fact]
    public void Click_without_id_ignores_impressions_newer_than_the_click()
    {
        var join = NewJoin();
        join.AddImpression(Imp("before", T0), "before");
        join.AddImpression(Imp("after", T0.AddMinutes(10)), "after");

        Assert.Equal("before", join.AddEngagement(ClickOn(T0.AddMinutes(5)))?.Outcome.ImpressionId);
    }

    [Fact]
    public void Click_after_the_window_is_not_attributed_and_the_impression_is_labelled_not_clicked()
    {
        var join = NewJoin();
        join.AddImpression(Imp("imp1", T0), "src");

        Assert.Null(join.AddEngagement(ClickOn(T0 + Window + TimeSpan.FromSeconds(1), "imp1")));

        var expired = join.AdvanceWatermark(T0 + Window + Grace + TimeSpan.FromTicks(1));
        var only = Assert.Single(expired);
        Assert.Equal(OutcomeLabel.NotClicked, only.Outcome.Label);
        Assert.Null(only.Outcome.ClickTime);
        Assert.Equal("src", only.ImpressionOrigin);
    }

    [Fact]
    public void Watermark_labels_not_clicked_only_strictly_past_the_deadline_and_only_once()
    {
        var join = NewJoin();
        join.AddImpression(Imp("imp1", T0), "src");
        var deadline = T0 + Window + Grace;

        Assert.Empty(join.AdvanceWatermark(T0 + Window));
        Assert.Empty(join.AdvanceWatermark(deadline));
        Assert.Equal(1, join.OpenImpressions);

        var past = deadline + TimeSpan.FromTicks(1);
        var expired = join.AdvanceWatermark(past);
        var only = Assert.Single(expired);
        Assert.Equal(new Outcome("imp1", "u1", "i1", T0, OutcomeLabel.NotClicked, null, false, past), only.Outcome);
        Assert.Equal(0, join.OpenImpressions);

        Assert.Empty(join.AdvanceWatermark(past.AddHours(1)));
        Assert.Empty(join.Flush(past.AddHours(2)));
    }

    [Fact]
    public void Watermark_expires_impressions_in_deadline_order_and_leaves_the_rest_open()
    {
        var join = NewJoin();
        join.AddImpression(Imp("late", T0.AddMinutes(10), item: "i2"), "late");
        join.AddImpression(Imp("early", T0), "early");

        var first = join.AdvanceWatermark(T0 + Window + Grace + TimeSpan.FromMinutes(1));

        Assert.Equal(["early"], first.Select(r => r.Outcome.ImpressionId));
        Assert.Equal(1, join.OpenImpressions);
        Assert.Equal(["late"], join.AdvanceWatermark(T0.AddHours(2)).Select(r => r.Outcome.ImpressionId));
    }

    [Fact]
    public void A_click_that_arrives_before_its_impression_is_matched_when_the_impression_arrives()
    {
        var join = NewJoin();

        Assert.Null(join.AddEngagement(ClickOn(T0.AddMinutes(2), "imp1")));
        Assert.Equal(1, join.OrphanSignals);

        var result = join.AddImpression(Imp("imp1", T0), "src");

        Assert.NotNull(result);
        Assert.Equal(OutcomeLabel.Clicked, result.Outcome.Label);
        Assert.Equal(T0.AddMinutes(2), result.Outcome.ClickTime);
        Assert.Equal("src", result.ImpressionOrigin);
        Assert.Equal(0, join.OrphanSignals);
        Assert.Equal(0, join.OpenImpressions);
        Assert.Empty(join.Flush(T0.AddDays(1)));
    }

    [Fact]
    public void An_orphan_click_without_id_is_matched_by_user_and_item()
    {
        var join = NewJoin();
        join.AddEngagement(ClickOn(T0.AddMinutes(2)));

        Assert.Null(join.AddImpression(Imp("x", T0, item: "i2"), "x"));
        Assert.Equal(OutcomeLabel.Clicked, join.AddImpression(Imp("imp1", T0), "src")?.Outcome.Label);
    }

    [Fact]
    public void An_orphan_expires_unattributed_once_the_watermark_passes_its_time_plus_grace()
    {
        var join = NewJoin();
        var at = T0.AddMinutes(2);
        join.AddEngagement(ClickOn(at, "never"));

        join.AdvanceWatermark(at + Grace);
        Assert.Equal(1, join.OrphanSignals);
        join.AdvanceWatermark(at + Grace + TimeSpan.FromTicks(1));
        Assert.Equal(0, join.OrphanSignals);
        Assert.Equal(1, join.UnattributedSignals);
    }

    [Fact]
    public void A_comment_resolves_an_open_impression_as_clicked_and_commented()
    {
        var join = NewJoin();
        join.AddImpression(Imp("imp1", T0), "src");

        var result = join.AddEngagement(new Comment("cm1", "u1", "i1", T0.AddMinutes(4), "great"));

        Assert.NotNull(result);
        Assert.Equal(OutcomeLabel.Clicked, result.Outcome.Label);
        Assert.True(result.Outcome.Commented);
        Assert.Equal(T0.AddMinutes(4), result.Outcome.ClickTime);
    }

    [Fact]
    public void Only_clicks_and_comments_engage()
    {
        var join = NewJoin();
        Assert.Throws<ArgumentException>(() => join.AddEngagement(Imp("imp1", T0)));
    }

    [Fact]
    public void A_duplicate_of_an_open_impression_is_ignored()
    {
        var join = NewJoin();
        Assert.Null(join.AddImpression(Imp("imp1", T0), "first"));
        Assert.Null(join.AddImpression(Imp("imp1", T0), "second"));

        Assert.Equal(1, join.OpenImpressions);
        var flushed = Assert.Single(join.Flush(T0.AddDays(1)));
        Assert.Equal("first", flushed.ImpressionOrigin);
    }

    [Fact]
    public void A_second_click_for_a_resolved_impression_produces_no_second_outcome()
    {
        var join = NewJoin();
        join.AddImpression(Imp("imp1", T0), "src");
        Assert.NotNull(join.AddEngagement(ClickOn(T0.AddMinutes(1), "imp1")));

        Assert.Null(join.AddEngagement(ClickOn(T0.AddMinutes(2), "imp1")));
        Assert.Null(join.AddEngagement(ClickOn(T0.AddMinutes(3))));
        Assert.Null(join.AddEngagement(new Comment("cm", "u1", "i1", T0.AddMinutes(4), "x")));

        Assert.Empty(join.AdvanceWatermark(T0.AddDays(1)));
        Assert.Empty(join.Flush(T0.AddDays(1)));
        Assert.Equal(3, join.UnattributedSignals);
    }

    [Fact]
    public void Flush_labels_everything_open_as_not_clicked_at_the_given_watermark()
    {
        var join = NewJoin();
        join.AddImpression(Imp("a", T0), "a");
        join.AddImpression(Imp("b", T0.AddMinutes(1), item: "i2"), "b");
        join.AddImpression(Imp("c", T0.AddMinutes(2), item: "i3"), "c");
        join.AddEngagement(ClickOn(T0.AddMinutes(3), "b", item: "i2"));
        join.AddEngagement(ClickOn(T0.AddMinutes(3), "orphan", item: "zzz"));

        var flushed = join.Flush(T0.AddMinutes(5));

        Assert.Equal(["a", "c"], flushed.Select(r => r.Outcome.ImpressionId).Order());
        Assert.All(flushed, r => Assert.Equal(OutcomeLabel.NotClicked, r.Outcome.Label));
        Assert.All(flushed, r => Assert.Equal(T0.AddMinutes(5), r.Outcome.ResolvedAt));
        Assert.All(flushed, r => Assert.Equal(r.Outcome.ImpressionId, r.ImpressionOrigin));
        Assert.Equal(0, join.OpenImpressions);
        Assert.Equal(0, join.OrphanSignals);
        Assert.Equal(1, join.UnattributedSignals);
        Assert.Empty(join.Flush(T0.AddMinutes(6)));
    }
}

public sealed class ImpressionJoinRegressionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // Regression (fixed): AddImpression only de-duplicates against *open* impressions (_byImpressionId). A redelivered
    // impression whose outcome was already emitted (clicked, or matched from an orphan, which never
    // registers it at all) is opened again and later labelled a second time, NotClicked, contradicting
    // "each impression gets exactly one outcome".
    [Fact]
    public void A_duplicate_of_a_resolved_impression_gets_no_second_outcome()
    {
        var join = new ImpressionJoin<string>(new AttributionOptions());
        var imp = new Impression("e1", "u1", "i1", T0, "imp1");
        join.AddImpression(imp, "first");
        Assert.NotNull(join.AddEngagement(new Click("c1", "u1", "i1", T0.AddMinutes(1), "imp1")));

        Assert.Null(join.AddImpression(imp, "redelivered"));

        Assert.Equal(0, join.OpenImpressions);
        Assert.Empty(join.Flush(T0.AddDays(1)));
    }

    [Fact]
    public void A_duplicate_of_an_impression_matched_from_an_orphan_gets_no_second_outcome()
    {
        var join = new ImpressionJoin<string>(new AttributionOptions());
        var imp = new Impression("e1", "u1", "i1", T0, "imp1");
        join.AddEngagement(new Click("c1", "u1", "i1", T0.AddMinutes(1), "imp1"));
        Assert.NotNull(join.AddImpression(imp, "first"));

        Assert.Null(join.AddImpression(imp, "redelivered"));
        Assert.Empty(join.Flush(T0.AddDays(1)));
    }
}
