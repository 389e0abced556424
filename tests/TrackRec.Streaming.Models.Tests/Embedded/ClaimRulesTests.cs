using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.UserState;
using static TrackRec.Streaming.Tests.Embedded.ClaimTestHistory;

namespace TrackRec.Streaming.Tests.Embedded;

public sealed class ClaimRulesTests
{
    private static readonly CategoryEvidence Evidence = CategoryEvidence.From(Mixed());

    private static ClaimVerdict Judge(ClaimKind kind, string subject, CategoryEvidence? evidence = null) =>
        ClaimRules.Judge(new ChainClaim(kind, subject, $"{kind} {subject}"), evidence ?? Evidence).Verdict;

    [Theory]
    // Affinity: engaged and not mostly passed over.
    [InlineData(ClaimKind.Affinity, "jazz", ClaimVerdict.Supported)]
    [InlineData(ClaimKind.Affinity, "folk", ClaimVerdict.Supported)]
    [InlineData(ClaimKind.Affinity, "crime", ClaimVerdict.Unsupported)]
    [InlineData(ClaimKind.Affinity, "opera", ClaimVerdict.Unsupported)]
    // Aversion: passed over at least twice, and not engaged with as much.
    [InlineData(ClaimKind.Aversion, "crime", ClaimVerdict.Supported)]
    [InlineData(ClaimKind.Aversion, "jazz", ClaimVerdict.Contradicted)]
    [InlineData(ClaimKind.Aversion, "pop", ClaimVerdict.Unsupported)]
    [InlineData(ClaimKind.Aversion, "opera", ClaimVerdict.Unsupported)]
    // Recent shift: engaged in the newest third, not mostly before.
    [InlineData(ClaimKind.RecentShift, "folk", ClaimVerdict.Supported)]
    [InlineData(ClaimKind.RecentShift, "jazz", ClaimVerdict.Unsupported)]
    [InlineData(ClaimKind.RecentShift, "crime", ClaimVerdict.Unsupported)]
    // Exploration hint: only for categories the user has not engaged with.
    [InlineData(ClaimKind.ExplorationHint, "pop", ClaimVerdict.Supported)]
    [InlineData(ClaimKind.ExplorationHint, "folk", ClaimVerdict.Contradicted)]
    // Popular prior: once the user engages, fine only when the history happens to back it.
    [InlineData(ClaimKind.PopularPrior, "drama", ClaimVerdict.Unsupported)]
    [InlineData(ClaimKind.PopularPrior, "crime", ClaimVerdict.Unsupported)]
    [InlineData(ClaimKind.PopularPrior, "jazz", ClaimVerdict.Supported)]
    // A comment aspect quotes the user and is always supported.
    [InlineData(ClaimKind.CommentAspect, "J2", ClaimVerdict.Supported)]
    public void Judges_each_kind_against_the_mixed_history(ClaimKind kind, string subject, ClaimVerdict expected)
    {
        Assert.Equal(expected, Judge(kind, subject));
    }

    // Regression: the extractor proposes a popular prior only for categories the user never engaged with,
    // and the rule called every such claim unsupported, so no prior could ever be a positive. A stream of
    // short (cold) histories then gave the claim policy only 0 labels ("all 18 labels are 0" on all clicks).
    [Fact]
    public void A_popular_prior_is_supported_for_a_user_with_no_engagement_yet()
    {
        var cold = CategoryEvidence.From([View("d1", Signal.Impression, ["drama"], minute: 0)]);
        var priors = new CategoryPriors { OverallRate = 0.3, ClickRate = new Dictionary<string, double> { ["drama"] = 0.4 }, Popular = ["drama"] };

        var proposed = new ClaimExtractor(priors).Extract(cold).Where(c => c.Claim.Kind == ClaimKind.PopularPrior).ToList();

        Assert.NotEmpty(proposed);
        Assert.All(proposed, c => Assert.Equal(ClaimVerdict.Supported, ClaimRules.Judge(c.Claim, cold).Verdict));
        Assert.Equal(ClaimVerdict.Supported, Judge(ClaimKind.PopularPrior, "drama", CategoryEvidence.From([])));
    }

    [Fact]
    public void An_affinity_mostly_passed_over_is_contradicted()
    {
        // news: shown 5 times, clicked once: 4 passed over, more than 3x the engagement.
        var evidence = CategoryEvidence.From(
        [
            .. Enumerable.Range(0, 5).Select(i => View($"n{i}", Signal.Impression, ["news"], minute: i)),
            View("n0", Signal.Click, ["news"], minute: 6),
        ]);

        Assert.Equal(ClaimVerdict.Contradicted, Judge(ClaimKind.Affinity, "news", evidence));
        Assert.Equal(ClaimVerdict.Supported, Judge(ClaimKind.Aversion, "news", evidence));
    }

    [Fact]
    public void Three_passed_over_against_one_click_is_still_an_affinity()
    {
        var evidence = CategoryEvidence.From(
        [
            .. Enumerable.Range(0, 4).Select(i => View($"n{i}", Signal.Impression, ["news"], minute: i)),
            View("n0", Signal.Click, ["news"], minute: 6),
        ]);

        Assert.Equal(ClaimVerdict.Supported, Judge(ClaimKind.Affinity, "news", evidence));
    }

    [Fact]
    public void A_long_standing_interest_is_not_a_recent_shift()
    {
        // 6 interactions, the newest third is indices 4 and 5: news twice before, once recently.
        var evidence = CategoryEvidence.From(
        [
            View("n1", Signal.Click, ["news"], minute: 0),
            View("n2", Signal.Click, ["news"], minute: 1),
            View("a1", Signal.Impression, ["art"], minute: 2),
            View("a2", Signal.Impression, ["art"], minute: 3),
            View("a3", Signal.Impression, ["art"], minute: 4),
            View("n3", Signal.Click, ["news"], minute: 5),
        ]);

        Assert.Equal(ClaimVerdict.Contradicted, Judge(ClaimKind.RecentShift, "news", evidence));
    }

    [Fact]
    public void Reasons_name_the_category_and_the_counts()
    {
        var (verdict, reason) = ClaimRules.Judge(new ChainClaim(ClaimKind.Aversion, "jazz", "x"), Evidence);

        Assert.Equal(ClaimVerdict.Contradicted, verdict);
        Assert.Equal("the user engages with jazz (2 engagements, 0 impressions passed over)", reason);
        Assert.Contains("drama", ClaimRules.Judge(new ChainClaim(ClaimKind.PopularPrior, "drama", "x"), Evidence).Reason, StringComparison.Ordinal);
    }
}
