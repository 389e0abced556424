using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using static TrackRec.Streaming.Tests.Embedded.ClaimTestHistory;

namespace TrackRec.Streaming.Tests.Embedded;

public sealed class EmbeddedValidatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly CandidateItem JazzItem = new("j9", "Jazz Nine", ["jazz"]);
    private static readonly CandidateItem CrimeItem = new("c9", "Crime Nine", ["crime"]);
    private static readonly CandidateItem JazzLiveItem = new("jl", "Jazz Live", ["jazz", "live"]);
    private static readonly CandidateItem UnknownItem = new("u9", null, []);

    private static readonly ChainDraft LikesJazz = new("Engages with jazz.", [new ChainClaim(ClaimKind.Affinity, "jazz", "Engages with jazz.")], -1);

    // Logit = 3 * (share of the item's categories the chain claims an affinity for) - 1.
    private static EmbeddedValidator AffinityValidator() =>
        new(Linear(ValidatorFeatures.Count, new() { [0] = 3 }, bias: -1), Priors(), "validator-test-1");

    // Two layers with mixed signs, every feature used: a stand-in for a trained network.
    private static EmbeddedValidator DenseValidator()
    {
        const int hidden = 5;
        var w1 = Enumerable.Range(0, hidden * ValidatorFeatures.Count).Select(i => (float)Math.Sin(i + 1) * 2).ToArray();
        var b1 = Enumerable.Range(0, hidden).Select(i => (float)Math.Cos(i) * 0.5f).ToArray();
        var w2 = Enumerable.Range(0, hidden).Select(i => i % 2 == 0 ? 1.5f : -1.2f).ToArray();
        var weights = new MlpWeights { Layers = [new MlpLayer(ValidatorFeatures.Count, hidden, w1, b1), new MlpLayer(hidden, 1, w2, [0.1f])] };
        return new EmbeddedValidator(new Mlp(weights), Priors(), "validator-dense-1");
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    [Fact]
    public async Task Returns_one_probability_in_the_open_unit_interval_per_item_in_order()
    {
        var items = new[] { JazzItem, CrimeItem, JazzLiveItem, UnknownItem, new CandidateItem("d", "Drama", ["drama", "crime"]) };
        var request = Request(Mixed());

        foreach (var validator in new[] { AffinityValidator(), DenseValidator() })
        {
            var scores = await validator.ScoreAsync(request, LikesJazz, items, Ct);

            Assert.Equal(items.Length, scores.Count);
            Assert.All(scores, p => Assert.InRange(p, double.Epsilon, 1 - 1e-12));
            // Each item is scored on its own: one at a time gives the same numbers.
            for (var i = 0; i < items.Length; i++)
                Assert.Equal(scores[i], Assert.Single(await validator.ScoreAsync(request, LikesJazz, [items[i]], Ct)));
        }
    }

    [Fact]
    public async Task No_items_no_scores()
    {
        Assert.Empty(await DenseValidator().ScoreAsync(Request(Mixed()), LikesJazz, [], Ct));
    }

    [Fact]
    public async Task An_item_covered_by_an_affinity_claim_scores_higher()
    {
        var scores = await AffinityValidator().ScoreAsync(Request(Mixed()), LikesJazz, [JazzItem, CrimeItem, JazzLiveItem], Ct);

        Assert.Equal(Sigmoid(2), scores[0], 12);   // fully covered
        Assert.Equal(Sigmoid(-1), scores[1], 12);  // not covered
        Assert.Equal(Sigmoid(0.5), scores[2], 12); // half of its categories covered
        Assert.True(scores[0] > scores[2] && scores[2] > scores[1]);
    }

    [Fact]
    public async Task Only_affinity_claims_count_as_coverage_for_feature_zero()
    {
        var avoidsJazz = new ChainDraft("Passes over jazz.", [new ChainClaim(ClaimKind.Aversion, "jazz", "Passes over jazz.")], -1);

        var scores = await AffinityValidator().ScoreAsync(Request(Mixed()), avoidsJazz, [JazzItem], Ct);

        Assert.Equal(Sigmoid(-1), scores[0], 12);
    }

    [Fact]
    public async Task Free_text_chains_are_read_for_known_categories()
    {
        var freeText = new ChainDraft("A listener who keeps coming back to JAZZ.", [], null);

        var scores = await AffinityValidator().ScoreAsync(Request(Mixed()), freeText, [JazzItem, CrimeItem], Ct);

        Assert.Equal(Sigmoid(2), scores[0], 12);
        Assert.Equal(Sigmoid(-1), scores[1], 12);
    }

    [Fact]
    public void Features_describe_what_the_chain_says_about_the_item()
    {
        ChainClaim[] claims =
        [
            new(ClaimKind.Aversion, "crime", "x"),
            new(ClaimKind.Affinity, "jazz", "x"),
            new(ClaimKind.CommentAspect, "J2", "x"),
        ];
        var evidence = CategoryEvidence.From(Mixed());

        var f = ValidatorFeatures.Of(claims, JazzLiveItem, evidence, Priors());

        Assert.Equal(ValidatorFeatures.Count, f.Length);
        Assert.Equal([0.5f, 0f, 0f, 0f, 0f, 1f], f[..6]);
        Assert.Equal(0.5f, f[6]);                       // first claim on the item is the second claim
        Assert.Equal(1f, f[7]);                         // ... and it is not an aversion
        Assert.Equal(4f / 8, f[8], 5);                  // (3 engaged + 1) / (6 shown + 2)
        Assert.Equal(MathF.Log(10), f[9], 5);
        Assert.Equal((0.3f + 0.15f) / 2, f[10], 5);
        Assert.Equal(3f, f[11]);
        var crime = ValidatorFeatures.Of(claims, CrimeItem, evidence, Priors());
        Assert.Equal((1f, -1f), (crime[6], crime[7]));
    }

    [Fact]
    public void Rejects_a_network_of_the_wrong_shape()
    {
        Assert.Throws<ArgumentException>(() => new EmbeddedValidator(Linear(ClaimExtractor.FeatureCount, []), Priors(), "v"));
    }
}
