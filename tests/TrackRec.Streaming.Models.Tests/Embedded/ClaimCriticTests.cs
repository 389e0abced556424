using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.UserState;
using static TrackRec.Streaming.Tests.Embedded.ClaimTestHistory;

namespace TrackRec.Streaming.Tests.Embedded;

public sealed class ClaimCriticTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ChainDraft Draft(params ChainClaim[] claims) => new(ClaimPolicyGenerator.Render(claims), claims, null);

    private static readonly ChainClaim LikesJazz = new(ClaimKind.Affinity, "jazz", "Engages with jazz.");
    private static readonly ChainClaim SkipsCrime = new(ClaimKind.Aversion, "crime", "Passes over crime.");
    private static readonly ChainClaim TurnedToFolk = new(ClaimKind.RecentShift, "folk", "Has recently turned to folk.");
    private static readonly ChainClaim PopularDrama = new(ClaimKind.PopularPrior, "drama", "Probably enjoys drama, like most viewers.");
    private static readonly ChainClaim LikesCrime = new(ClaimKind.Affinity, "crime", "Engages with crime.");
    private static readonly ChainClaim SkipsJazz = new(ClaimKind.Aversion, "jazz", "Passes over jazz.");

    [Fact]
    public async Task Accepts_a_chain_the_history_supports()
    {
        var reflection = await new ClaimCritic().ReflectAsync(Request(Mixed()), Draft(LikesJazz, SkipsCrime, TurnedToFolk), Ct);

        Assert.True(reflection.Accepted);
        Assert.Empty(reflection.FailedClaims);
    }

    [Fact]
    public async Task Names_a_popular_prior_the_history_does_not_back()
    {
        var reflection = await new ClaimCritic().ReflectAsync(Request(Mixed()), Draft(LikesJazz, PopularDrama, SkipsCrime), Ct);

        Assert.False(reflection.Accepted);
        Assert.Equal([PopularDrama.Text], reflection.FailedClaims);
        Assert.Contains($"\"{PopularDrama.Text}\" is unsupported", reflection.Critique, StringComparison.Ordinal);
        Assert.Contains("drama is popular overall", reflection.Critique, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_every_unsupported_and_contradicted_claim_in_order()
    {
        var reflection = await new ClaimCritic().ReflectAsync(Request(Mixed()), Draft(LikesCrime, LikesJazz, SkipsJazz, PopularDrama), Ct);

        Assert.False(reflection.Accepted);
        Assert.Equal([LikesCrime.Text, SkipsJazz.Text, PopularDrama.Text], reflection.FailedClaims);
        Assert.Contains("is unsupported: no engagement with crime", reflection.Critique, StringComparison.Ordinal);
        Assert.Contains("is contradicted: the user engages with jazz", reflection.Critique, StringComparison.Ordinal);
        Assert.DoesNotContain(LikesJazz.Text, reflection.Critique, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepts_free_text_it_cannot_check()
    {
        var reflection = await new ClaimCritic().ReflectAsync(Request(Mixed()), new ChainDraft("The user loves drama.", [], -3), Ct);

        Assert.True(reflection.Accepted);
    }

    [Fact]
    public async Task Judges_against_the_request_history_only()
    {
        // Against an empty history, even the jazz affinity is unsupported.
        var reflection = await new ClaimCritic().ReflectAsync(Request([]), Draft(LikesJazz), Ct);

        Assert.Equal([LikesJazz.Text], reflection.FailedClaims);
    }

    [Fact]
    public async Task Refining_what_the_critic_names_removes_those_claims()
    {
        var generator = Generator();
        var request = Request(Mixed());
        var critic = new ClaimCritic();
        var candidates = generator.Score(request).Candidates.Select(c => c.Claim).ToList();
        ChainClaim[] claims = [.. candidates.Where(c => (c.Kind, c.Subject) is (ClaimKind.PopularPrior, "drama") or (ClaimKind.Affinity, "jazz") or (ClaimKind.Affinity, "crime"))];
        var draft = Draft(claims);

        var verdict = await critic.ReflectAsync(request, draft, Ct);
        var refined = await generator.RefineAsync(request, draft, verdict, Ct);

        Assert.Equal(2, verdict.FailedClaims.Count);
        Assert.Equal(3, refined.Claims.Count);
        Assert.DoesNotContain(refined.Claims, c => verdict.FailedClaims.Contains(c.Text));
        Assert.Contains(refined.Claims, c => c.Kind == ClaimKind.Affinity && c.Subject == "jazz");
    }

    [Fact]
    public async Task A_comment_aspect_is_accepted()
    {
        var request = Request([View("j1", Signal.Comment, ["jazz"], "nice", title: "Jazz One")]);
        var comment = Generator().Score(request).Candidates.Single(c => c.Claim.Kind == ClaimKind.CommentAspect).Claim;

        Assert.True((await new ClaimCritic().ReflectAsync(request, Draft(comment), Ct)).Accepted);
    }
}
