using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.UserState;
using static TrackRec.Streaming.Tests.Embedded.ClaimTestHistory;

namespace TrackRec.Streaming.Tests.Embedded;

public sealed class ClaimExtractorTests
{
    private static readonly CategoryEvidence Evidence = CategoryEvidence.From(Mixed());

    [Fact]
    public void Proposes_every_kind_of_claim_the_history_offers_in_a_stable_order()
    {
        var candidates = new ClaimExtractor(Priors()).Extract(Evidence);

        Assert.Equal(
            [
                (ClaimKind.Affinity, "jazz"), (ClaimKind.Affinity, "folk"), (ClaimKind.Affinity, "crime"), (ClaimKind.Affinity, "pop"),
                (ClaimKind.Aversion, "crime"),
                (ClaimKind.RecentShift, "folk"),
                (ClaimKind.CommentAspect, "J2"),
                (ClaimKind.ExplorationHint, "pop"),
                (ClaimKind.PopularPrior, "drama"),
            ],
            candidates.Select(c => (c.Claim.Kind, c.Claim.Subject)));
        Assert.Equal("Engages with jazz (2 of 3 engagements).", candidates[0].Claim.Text);
        Assert.Equal("Passes over crime (shown 3 times, engaged 0).", candidates[4].Claim.Text);
    }

    [Fact]
    public void Proposes_supported_and_unsupported_claims_alike()
    {
        var verdicts = new ClaimExtractor(Priors()).Extract(Evidence)
            .Select(c => (c.Claim.Kind, c.Claim.Subject, ClaimRules.Judge(c.Claim, Evidence).Verdict))
            .ToList();

        Assert.Contains((ClaimKind.Affinity, "jazz", ClaimVerdict.Supported), verdicts);
        Assert.Contains((ClaimKind.Aversion, "crime", ClaimVerdict.Supported), verdicts);
        Assert.Contains((ClaimKind.RecentShift, "folk", ClaimVerdict.Supported), verdicts);
        Assert.Contains((ClaimKind.Affinity, "crime", ClaimVerdict.Unsupported), verdicts);
        Assert.Contains((ClaimKind.PopularPrior, "drama", ClaimVerdict.Unsupported), verdicts);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    public void Never_proposes_more_than_max_candidates(int max)
    {
        var all = new ClaimExtractor(Priors()).Extract(Evidence);

        var capped = new ClaimExtractor(Priors(), maxCandidates: max).Extract(Evidence);

        Assert.Equal(Math.Min(max, all.Count), capped.Count);
        Assert.Equal(all.Take(max).Select(c => c.Claim), capped.Select(c => c.Claim));
    }

    [Fact]
    public void A_long_varied_history_fills_the_default_cap_without_duplicates()
    {
        // 40 categories: clicked, commented on, passed over three times, shown once, in turn.
        var history = new List<HistoryItemView>();
        for (var i = 0; i < 40; i++)
        {
            var c = $"cat{i}";
            var shown = i % 4 == 2 ? 3 : i % 4 == 3 ? 1 : 2;
            for (var k = 0; k < shown; k++)
                history.Add(View($"i{i}", Signal.Impression, [c], minute: history.Count));
            if (i % 4 == 0)
                history.Add(View($"i{i}", Signal.Click, [c], minute: history.Count));
            if (i % 4 == 1)
                history.Add(View($"i{i}", Signal.Comment, [c], $"comment {i}", minute: history.Count));
        }

        var candidates = new ClaimExtractor(new CategoryPriors { Popular = ["x", "y", "z"] }).Extract(CategoryEvidence.From(history));

        Assert.Equal(16, candidates.Count);
        Assert.Equal(candidates.Count, candidates.Select(c => (c.Claim.Kind, c.Claim.Subject)).Distinct().Count());
        Assert.Equal(
            [(ClaimKind.Affinity, 5), (ClaimKind.Aversion, 3), (ClaimKind.RecentShift, 2), (ClaimKind.CommentAspect, 2), (ClaimKind.ExplorationHint, 2), (ClaimKind.PopularPrior, 2)],
            candidates.GroupBy(c => c.Claim.Kind).Select(g => (g.Key, g.Count())));
    }

    [Fact]
    public void Comment_claims_quote_the_comment_fenced()
    {
        var comment = new ClaimExtractor(Priors()).Extract(Evidence).Single(c => c.Claim.Kind == ClaimKind.CommentAspect).Claim;

        Assert.Equal($"Commented on {PromptText.Quote("J2", 60)}: {PromptText.Quote(Comment, 120)}.", comment.Text);
    }

    [Fact]
    public void Features_encode_the_kind_and_the_evidence()
    {
        var extractor = new ClaimExtractor(Priors());
        var claim = new ChainClaim(ClaimKind.Aversion, "crime", "x");

        var f = extractor.Features(claim, Evidence);

        Assert.Equal(ClaimExtractor.FeatureCount, f.Length);
        Assert.Equal([0f, 1f, 0f, 0f, 0f, 0f], f[..6]);
        Assert.Equal(0f, f[6]);                        // log(1 + engaged)
        Assert.Equal(MathF.Log(4), f[7], 5);           // log(1 + skipped)
        Assert.Equal(0.2f, f[9], 5);                   // (0 + 1) / (3 + 2)
        Assert.Equal(0.5f, f[10], 5);                  // recency
        Assert.Equal(MathF.Log(10), f[12], 5);         // log(1 + history length)
        Assert.Equal(0.1f, f[13], 5);                  // prior click rate
        Assert.Equal(0.2f, extractor.Features(new ChainClaim(ClaimKind.CommentAspect, "J2", "x"), Evidence)[13], 5); // overall rate
    }
}
