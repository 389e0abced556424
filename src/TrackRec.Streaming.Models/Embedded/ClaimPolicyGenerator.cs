using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// The embedded generator: a small neural policy scores the claims the history offers and a chain is
/// k of them sampled without replacement (Plackett-Luce with a temperature), rendered as text. Every
/// chain comes with its exact log-probability under the policy, which DPO needs.
/// </summary>
public sealed class ClaimPolicyGenerator : IChainGenerator
{
    // The chain when no claim is left to make (no candidates, or refinement ruled every one out).
    private const string NothingToSay = "No behaviour to reason about yet.";

    private readonly Mlp _policy;
    private readonly ClaimExtractor _extractor;
    private readonly ClaimPolicySettings _settings;

    /// <summary>Creates the generator from a trained policy.</summary>
    public ClaimPolicyGenerator(Mlp policy, CategoryPriors priors, ClaimPolicySettings settings, string version)
    {
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        if (policy.InputSize != ClaimExtractor.FeatureCount || policy.OutputSize != 1)
            throw new ArgumentException($"the policy must map {ClaimExtractor.FeatureCount} claim features to one score, it maps {policy.InputSize} to {policy.OutputSize}", nameof(policy));
        _extractor = new ClaimExtractor(priors, settings.MaxCandidates);
        Version = version;
    }

    /// <inheritdoc />
    public string Version { get; }

    /// <summary>The settings sampled with.</summary>
    public ClaimPolicySettings Settings => _settings;

    /// <summary>The claims the history offers and the policy's score of each.</summary>
    public (IReadOnlyList<ClaimCandidate> Candidates, double[] Scores) Score(ChainRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var candidates = _extractor.Extract(CategoryEvidence.From(request.History));
        var scores = candidates.Select(c => (double)_policy.Score(c.Features)).ToArray();
        return (candidates, scores);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ChainDraft>> SampleAsync(ChainRequest request, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var (candidates, scores) = Score(request);
        if (candidates.Count == 0)
            return Task.FromResult<IReadOnlyList<ChainDraft>>([new ChainDraft(NothingToSay, [], 0)]);
        var random = new Random(StableSeed.Of(request.UserId, request.HistoryVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Version));
        var drafts = new List<ChainDraft>(count);
        for (var i = 0; i < count; i++)
        {
            var picks = PlackettLuce.Sample(scores, _settings.ClaimsPerChain, _settings.Temperature, random);
            drafts.Add(Draft(candidates, scores, picks));
        }
        return Task.FromResult<IReadOnlyList<ChainDraft>>(drafts);
    }

    /// <inheritdoc />
    public Task<ChainDraft> RefineAsync(ChainRequest request, ChainDraft draft, Reflection reflection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(reflection);
        var (candidates, scores) = Score(request);
        var failed = reflection.FailedClaims.ToHashSet(StringComparer.Ordinal);
        var ordering = IndicesOf(candidates, draft.Claims);
        var kept = ordering.Where(i => !failed.Contains(candidates[i].Claim.Text) && !failed.Contains(candidates[i].Claim.Subject)).ToList();
        // Resample the slots of the failed claims from the claims not yet tried: the critique rules them out.
        var excluded = ordering.ToHashSet();
        var random = new Random(StableSeed.Of(request.UserId, request.HistoryVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Version, "refine", draft.Text));
        var replacements = PlackettLuce.Sample(scores, ordering.Count - kept.Count, _settings.Temperature, random, excluded);
        List<int> picks = [.. kept, .. replacements];
        return Task.FromResult(picks.Count == 0 ? new ChainDraft(NothingToSay, [], 0) : Draft(candidates, scores, picks));
    }

    /// <summary>Exact log pi(chain | history) of a chain made of these claims in this order.</summary>
    public double LogProbability(ChainRequest request, IReadOnlyList<ChainClaim> claims)
    {
        var (candidates, scores) = Score(request);
        return PlackettLuce.LogProbability(scores, IndicesOf(candidates, claims), _settings.Temperature);
    }

    /// <summary>Renders claims as the chain's text.</summary>
    public static string Render(IEnumerable<ChainClaim> claims) => string.Join(" ", claims.Select(c => c.Text));

    private ChainDraft Draft(IReadOnlyList<ClaimCandidate> candidates, double[] scores, IReadOnlyList<int> picks)
    {
        var claims = picks.Select(i => candidates[i].Claim).ToList();
        return new ChainDraft(Render(claims), claims, PlackettLuce.LogProbability(scores, picks, _settings.Temperature));
    }

    private static List<int> IndicesOf(IReadOnlyList<ClaimCandidate> candidates, IReadOnlyList<ChainClaim> claims)
    {
        var indices = new List<int>(claims.Count);
        foreach (var claim in claims)
        {
            var index = -1;
            for (var i = 0; i < candidates.Count && index < 0; i++)
                if (candidates[i].Claim.Kind == claim.Kind && candidates[i].Claim.Subject == claim.Subject)
                    index = i;
            if (index < 0)
                throw new ArgumentException($"claim '{claim.Text}' is not a candidate for this history", nameof(claims));
            indices.Add(index);
        }
        return indices;
    }
}
