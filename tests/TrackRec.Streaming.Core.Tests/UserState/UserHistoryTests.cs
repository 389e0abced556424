using TrackRec.Streaming.Events;
using TrackRec.Streaming.UserState;
using Xunit;

namespace TrackRec.Streaming.Tests.UserState;

public sealed class UserHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Keeps_the_newest_entries_up_to_capacity_while_version_counts_everything()
    {
        var history = new UserHistory("u1", capacity: 3, outcomeCapacity: 2);

        for (var i = 0; i < 5; i++)
            history.Absorb(new Impression($"e{i}", "u1", $"item{i}", T0.AddMinutes(i), $"imp{i}"));

        Assert.Equal(["item2", "item3", "item4"], history.Entries.Select(e => e.ItemId));
        Assert.Equal(5, history.Version);
        Assert.Equal(T0.AddMinutes(4), history.LastEventTime);
    }

    [Fact]
    public void Records_the_signal_and_the_comment_text()
    {
        var history = new UserHistory("u1", 10, 1);
        history.Absorb(new Impression("e1", "u1", "a", T0, "imp1"));
        history.Absorb(new Click("e2", "u1", "a", T0.AddMinutes(1)));
        history.Absorb(new Comment("e3", "u1", "a", T0.AddMinutes(2), "love it"));

        Assert.Equal(
            [
                new HistoryEntry("a", Signal.Impression, T0),
                new HistoryEntry("a", Signal.Click, T0.AddMinutes(1)),
                new HistoryEntry("a", Signal.Comment, T0.AddMinutes(2), "love it"),
            ],
            history.Entries);
    }

    [Fact]
    public void Last_event_time_is_the_newest_not_the_latest_absorbed()
    {
        var history = new UserHistory("u1", 10, 1);
        history.Absorb(new Click("e1", "u1", "a", T0.AddHours(1)));
        history.Absorb(new Click("e2", "u1", "a", T0));

        Assert.Equal(T0.AddHours(1), history.LastEventTime);
        Assert.Equal(2, history.Version);
    }

    [Fact]
    public void Outcomes_are_bounded_and_keep_the_newest()
    {
        var history = new UserHistory("u1", 10, outcomeCapacity: 2);
        for (var i = 0; i < 4; i++)
            history.Remember(new LabelledOutcome($"imp{i}", "a", i % 2 == 0, T0.AddMinutes(i)));

        Assert.Equal(["imp2", "imp3"], history.Outcomes.Select(o => o.ImpressionId));
        Assert.Equal(0, history.Version); // outcomes are not history events
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        Assert.ThrowsAny<ArgumentException>(() => new UserHistory("", 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UserHistory("u", 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UserHistory("u", 1, 0));
    }
}

public sealed class UserStateStoreTests
{
    private static UserStateStore NewStore(int maxUsers) => new(new UserStateOptions { MaxUsersPerPartition = maxUsers, HistoryLength = 4, OutcomeLength = 2 });

    [Fact]
    public void Get_or_create_returns_the_same_history_for_a_user()
    {
        var store = NewStore(10);
        var a = store.GetOrCreate("a");

        Assert.Same(a, store.GetOrCreate("a"));
        Assert.Same(a, store.Find("a"));
        Assert.Null(store.Find("b"));
        Assert.Equal(1, store.Count);
        Assert.Equal("a", a.UserId);
    }

    [Fact]
    public void Histories_use_the_configured_bounds()
    {
        var store = NewStore(10);
        var h = store.GetOrCreate("a");
        for (var i = 0; i < 6; i++)
            h.Absorb(new Click($"e{i}", "a", $"i{i}", DateTimeOffset.UnixEpoch.AddMinutes(i + 1)));

        Assert.Equal(4, h.Entries.Count);
    }

    [Fact]
    public void Evicts_the_least_recently_active_user_at_the_limit()
    {
        var store = NewStore(3);
        var a = store.GetOrCreate("a");
        store.GetOrCreate("b");
        store.GetOrCreate("c");
        store.GetOrCreate("a"); // a is now the most recent; b the least

        store.GetOrCreate("d");

        Assert.Equal(3, store.Count);
        Assert.Null(store.Find("b"));
        Assert.Same(a, store.Find("a"));
        Assert.NotNull(store.Find("c"));
        Assert.NotNull(store.Find("d"));
    }

    [Fact]
    public void Find_does_not_refresh_recency()
    {
        var store = NewStore(2);
        store.GetOrCreate("a");
        store.GetOrCreate("b");
        Assert.NotNull(store.Find("a"));

        store.GetOrCreate("c");

        Assert.Null(store.Find("a"));
        Assert.NotNull(store.Find("b"));
    }

    [Fact]
    public void An_evicted_user_comes_back_empty()
    {
        var store = NewStore(1);
        store.GetOrCreate("a").Absorb(new Click("e", "a", "i", DateTimeOffset.UnixEpoch.AddDays(1)));
        store.GetOrCreate("b");

        var again = store.GetOrCreate("a");

        Assert.Equal(0, again.Version);
        Assert.Empty(again.Entries);
        Assert.Null(store.Find("b"));
        Assert.Equal(1, store.Count);
    }
}
