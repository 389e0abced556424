using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.UserState;
using Xunit;

namespace TrackRec.Streaming.Tests.Chains;

public sealed class ChainRequestBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ItemCatalog _catalog = new();

    public ChainRequestBuilderTests()
    {
        foreach (var (id, category) in new[] { ("a", "jazz"), ("b", "crime"), ("c", "pop"), ("d", "folk"), ("e", "opera") })
            _catalog.Upsert(new CatalogItem(id, id.ToUpperInvariant(), [category]));
    }

    // u1 saw a..e in order (minute i), clicked a, b and d, commented on c, and the impressions were labelled
    // in order: a, b, c, d, e.
    private static UserHistory History(int outcomeCapacity = 20)
    {
        var history = new UserHistory("u1", 50, outcomeCapacity);
        var items = new[] { "a", "b", "c", "d", "e" };
        for (var i = 0; i < items.Length; i++)
            history.Absorb(new Impression($"e{i}", "u1", items[i], T0.AddMinutes(i), $"imp-{items[i]}"));
        history.Absorb(new Click("k1", "u1", "a", T0.AddMinutes(10), "imp-a"));
        history.Absorb(new Click("k2", "u1", "b", T0.AddMinutes(11), "imp-b"));
        history.Absorb(new Comment("m1", "u1", "c", T0.AddMinutes(12), "so-so"));
        history.Absorb(new Click("k3", "u1", "d", T0.AddMinutes(13), "imp-d"));
        foreach (var (item, i) in items.Select((x, i) => (x, i)))
            history.Remember(new LabelledOutcome($"imp-{item}", item, item is "a" or "b" or "d" or "c", T0.AddMinutes(i)));
        return history;
    }

    [Fact]
    public void The_newest_labelled_outcomes_are_held_out()
    {
        var request = new ChainRequestBuilder(_catalog, 2).Build(History(), T0.AddHours(1));

        Assert.Equal(
            [new HeldOutOutcome("imp-d", new CandidateItem("d", "D", ["folk"]), true, T0.AddMinutes(3)), new HeldOutOutcome("imp-e", new CandidateItem("e", "E", ["opera"]), false, T0.AddMinutes(4))],
            request.HeldOut,
            new HeldOutComparer());
        Assert.Equal(("u1", 9L, T0.AddHours(1)), (request.UserId, request.HistoryVersion, request.AsOf));
    }

    [Fact]
    public void No_history_entry_of_a_held_out_item_reaches_the_history()
    {
        var request = new ChainRequestBuilder(_catalog, 2).Build(History(), T0.AddHours(1));

        Assert.DoesNotContain(request.History, h => h.ItemId is "d" or "e");
        // Everything else is there, oldest first, described from the catalog, comments with their text.
        Assert.Equal(
            [("a", Signal.Impression), ("b", Signal.Impression), ("c", Signal.Impression), ("a", Signal.Click), ("b", Signal.Click), ("c", Signal.Comment)],
            request.History.Select(h => (h.ItemId, h.Signal)));
        Assert.Equal(("A", "jazz"), (request.History[0].Title, Assert.Single(request.History[0].Categories)));
        Assert.Equal("so-so", request.History[5].Text);
    }

    [Fact]
    public void Holding_out_nothing_keeps_the_whole_history()
    {
        var request = new ChainRequestBuilder(_catalog, 0).Build(History(), T0);

        Assert.Empty(request.HeldOut);
        Assert.Equal(9, request.History.Count);
    }

    [Fact]
    public void With_fewer_outcomes_than_asked_all_are_held_out()
    {
        var request = new ChainRequestBuilder(_catalog, 50).Build(History(), T0);

        Assert.Equal(["imp-a", "imp-b", "imp-c", "imp-d", "imp-e"], request.HeldOut.Select(h => h.ImpressionId));
        Assert.Empty(request.History);
    }

    [Fact]
    public void Held_out_outcomes_follow_the_bounded_outcome_memory()
    {
        // Only the 3 newest outcomes are remembered; holding out 2 takes the newest 2 of those.
        var request = new ChainRequestBuilder(_catalog, 2).Build(History(outcomeCapacity: 3), T0);

        Assert.Equal(["imp-d", "imp-e"], request.HeldOut.Select(h => h.ImpressionId));
    }

    [Fact]
    public void A_user_with_no_outcomes_holds_nothing_out()
    {
        var history = new UserHistory("u1", 10, 10);
        history.Absorb(new Click("k", "u1", "a", T0));

        var request = new ChainRequestBuilder(_catalog, 5).Build(history, T0);

        Assert.Empty(request.HeldOut);
        Assert.Equal("a", Assert.Single(request.History).ItemId);
    }

    [Fact]
    public void Unknown_items_are_described_without_title_or_categories()
    {
        var builder = new ChainRequestBuilder(_catalog, 1);

        var item = builder.Describe("nope");

        Assert.Equal(("nope", (string?)null), (item.ItemId, item.Title));
        Assert.Empty(item.Categories);
        Assert.Equal(new CandidateItem("a", "A", _catalog.Find("a")!.Categories), builder.Describe("a"));
    }

    [Fact]
    public void Rejects_a_negative_held_out_count()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ChainRequestBuilder(_catalog, -1));
    }

    // Records with list members compare lists by reference; compare their contents instead.
    private sealed class HeldOutComparer : IEqualityComparer<HeldOutOutcome>
    {
        public bool Equals(HeldOutOutcome? x, HeldOutOutcome? y) =>
            x is not null && y is not null
            && (x.ImpressionId, x.Clicked, x.ImpressionTime, x.Item.ItemId, x.Item.Title) == (y.ImpressionId, y.Clicked, y.ImpressionTime, y.Item.ItemId, y.Item.Title)
            && x.Item.Categories.SequenceEqual(y.Item.Categories);

        public int GetHashCode(HeldOutOutcome obj) => obj.ImpressionId.GetHashCode(StringComparison.Ordinal);
    }
}
