using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.UserState;
using static TrackRec.Streaming.Tests.Embedded.ClaimTestHistory;

namespace TrackRec.Streaming.Tests.Embedded;

public sealed class NoveltyExplorerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The user engaged with jazz and folk recently (and was merely shown crime).
    private static ChainRequest JazzAndFolk(string userId = "u1", long version = 12) => Request(
        [
            View("j1", Signal.Click, ["jazz"], minute: 0),
            View("c1", Signal.Impression, ["crime"], minute: 1),
            View("f1", Signal.Click, ["folk"], minute: 2),
            View("j2", Signal.Comment, ["jazz"], "nice", minute: 3),
        ],
        userId,
        version);

    private static ExplorerModel Model(long minSupport = 20, int samples = 200) => new()
    {
        Transitions = new()
        {
            ["jazz"] = new() { ["blues"] = 10, ["folk"] = 5, ["jazz"] = 3, ["rock"] = 2, ["crime"] = 4 },
            ["folk"] = new() { ["blues"] = 4, ["jazz"] = 6, ["opera"] = 1 },
            ["crime"] = new() { ["noir"] = 50 },
        },
        Feedback = new()
        {
            ["folk|jazz"] = new()
            {
                ["jazz"] = [95, 100],   // recent: never proposed, however well it does
                ["folk"] = [90, 100],
                ["blues"] = [30, 100],
                ["rock"] = [10, 20],    // exactly at the default minimum support
                ["opera"] = [9, 10],    // best rate, too little support by default
                ["crime"] = [5, 100],
                ["noir"] = [99, 100],   // never proposed: only reachable from a category the user did not engage with
            },
            ["blues|rock"] = new() { ["opera"] = [1, 1000] },
        },
        MinSupport = minSupport,
        Samples = samples,
    };

    [Fact]
    public async Task Proposes_novel_categories_ordered_by_collective_click_rate()
    {
        var proposed = await new NoveltyExplorer(Model(), "explorer-test-1").ProposeAsync(JazzAndFolk(), 10, Ct);

        Assert.Equal(
            [new ExplorationCandidate("rock", 0.5, 20), new ExplorationCandidate("blues", 0.3, 100), new ExplorationCandidate("crime", 0.05, 100)],
            proposed);
    }

    [Fact]
    public async Task Never_proposes_a_recently_engaged_category()
    {
        var proposed = await new NoveltyExplorer(Model(minSupport: 1), "explorer-test-1").ProposeAsync(JazzAndFolk(), 10, Ct);

        Assert.DoesNotContain(proposed, c => c.Category is "jazz" or "folk");
        Assert.DoesNotContain(proposed, c => c.Category == "noir");
    }

    [Fact]
    public async Task Rates_below_the_minimum_support_are_not_trusted()
    {
        var strict = await new NoveltyExplorer(Model(minSupport: 21), "e").ProposeAsync(JazzAndFolk(), 10, Ct);
        var lax = await new NoveltyExplorer(Model(minSupport: 10), "e").ProposeAsync(JazzAndFolk(), 10, Ct);

        Assert.Equal(["blues", "crime"], strict.Select(c => c.Category));
        Assert.Equal(["opera", "rock", "blues", "crime"], lax.Select(c => c.Category));
        Assert.Equal((0.9, 10L), (lax[0].Score, lax[0].Support));
    }

    [Fact]
    public async Task Keeps_at_most_count_best_first()
    {
        var explorer = new NoveltyExplorer(Model(), "e");

        Assert.Equal(["rock"], (await explorer.ProposeAsync(JazzAndFolk(), 1, Ct)).Select(c => c.Category));
        Assert.Equal(["rock", "blues"], (await explorer.ProposeAsync(JazzAndFolk(), 2, Ct)).Select(c => c.Category));
        Assert.Empty(await explorer.ProposeAsync(JazzAndFolk(), 0, Ct));
    }

    [Fact]
    public async Task Is_deterministic_for_a_user_history_version_and_model_version()
    {
        // Few samples, so what is proposed depends on the seed.
        var model = Model(minSupport: 1, samples: 2);

        var runs = new List<IReadOnlyList<ExplorationCandidate>>();
        for (var i = 0; i < 3; i++)
            runs.Add(await new NoveltyExplorer(model, "e-1").ProposeAsync(JazzAndFolk(), 10, Ct));

        Assert.All(runs, r => Assert.Equal(runs[0], r));
        Assert.InRange(runs[0].Count, 1, 2);
        // Over many users the sampling differs: not every user gets the same proposals.
        var others = new List<string>();
        for (var u = 0; u < 20; u++)
            others.Add(string.Join(",", (await new NoveltyExplorer(model, "e-1").ProposeAsync(JazzAndFolk($"user{u}"), 10, Ct)).Select(c => c.Category)));
        Assert.True(others.Distinct().Count() > 1);
    }

    [Fact]
    public async Task Without_recent_engagement_or_transitions_there_is_nothing_to_propose()
    {
        var explorer = new NoveltyExplorer(Model(), "e");

        Assert.Empty(await explorer.ProposeAsync(Request([View("c1", Signal.Impression, ["crime"])]), 5, Ct));
        Assert.Empty(await explorer.ProposeAsync(Request([]), 5, Ct));
        Assert.Empty(await explorer.ProposeAsync(Request([View("x", Signal.Click, ["unheard-of"])]), 5, Ct));
    }

    [Fact]
    public async Task Transitions_counted_zero_are_no_transitions()
    {
        var model = Model() with { Transitions = new() { ["jazz"] = new() { ["blues"] = 0, ["folk"] = 0 } } };

        var proposed = await new NoveltyExplorer(model, "e").ProposeAsync(Request([View("j", Signal.Click, ["jazz"])]), 5, Ct);

        Assert.Empty(proposed); // rather than sampling among log(0) logits
    }

    [Fact]
    public async Task Users_with_another_category_history_read_their_own_feedback()
    {
        var model = Model() with
        {
            Feedback = new(Model().Feedback) { ["jazz"] = new() { ["blues"] = [80, 100], ["folk"] = [50, 100] } },
        };
        var jazzOnly = Request([View("j1", Signal.Click, ["jazz"]), View("j2", Signal.Click, ["jazz"])]);

        var proposed = await new NoveltyExplorer(model, "e").ProposeAsync(jazzOnly, 5, Ct);

        Assert.Equal("jazz", ExplorerModel.KeyOf(["jazz", "jazz"]));
        Assert.Equal([new ExplorationCandidate("blues", 0.8, 100), new ExplorationCandidate("folk", 0.5, 100)], proposed);
    }

    [Fact]
    public void The_history_key_is_the_two_most_engaged_categories_sorted()
    {
        Assert.Equal("folk|jazz", ExplorerModel.KeyOf(["jazz", "folk", "jazz"]));
        Assert.Equal("blues|jazz", ExplorerModel.KeyOf(["rock", "blues", "jazz", "jazz"]));
        Assert.Equal("", ExplorerModel.KeyOf([]));
    }
}
