using System.Globalization;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// Proposes the claims a chain can be composed of, from the user's history and the category priors,
/// each with the features the policy scores it by. Supported and unsupported claims alike: the policy
/// learns which to prefer, reflection catches the ones it gets wrong.
/// </summary>
public sealed class ClaimExtractor
{
    /// <summary>Width of a claim's feature vector.</summary>
    public const int FeatureCount = 14;

    private static readonly int KindCount = Enum.GetValues<ClaimKind>().Length;
    private readonly CategoryPriors _priors;
    private readonly int _maxCandidates;
    private readonly int _maxCommentChars;

    /// <summary>Creates an extractor.</summary>
    public ClaimExtractor(CategoryPriors priors, int maxCandidates = 16, int maxCommentChars = 120)
    {
        _priors = priors ?? throw new ArgumentNullException(nameof(priors));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCandidates, 1);
        _maxCandidates = maxCandidates;
        _maxCommentChars = maxCommentChars;
    }

    /// <summary>The candidate claims for a user, in a stable order.</summary>
    public IReadOnlyList<ClaimCandidate> Extract(CategoryEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        var claims = new List<ChainClaim>();
        var byEngagement = evidence.Categories.OrderByDescending(evidence.Engaged).ThenByDescending(evidence.Shown).ThenBy(c => c, StringComparer.Ordinal).ToList();
        foreach (var c in byEngagement.Take(5))
            claims.Add(new ChainClaim(ClaimKind.Affinity, c, Invariant($"Engages with {c} ({evidence.Engaged(c)} of {evidence.TotalEngaged} engagements).")));
        foreach (var c in evidence.Categories.Where(c => evidence.Skipped(c) >= 2).OrderByDescending(evidence.Skipped).ThenBy(c => c, StringComparer.Ordinal).Take(3))
            claims.Add(new ChainClaim(ClaimKind.Aversion, c, Invariant($"Passes over {c} (shown {evidence.Shown(c)} times, engaged {evidence.Engaged(c)}).")));
        foreach (var c in evidence.Categories.Where(c => evidence.RecentEngaged(c) > 0).OrderByDescending(evidence.RecentEngaged).ThenBy(c => c, StringComparer.Ordinal).Take(2))
            claims.Add(new ChainClaim(ClaimKind.RecentShift, c, Invariant($"Has recently turned to {c}.")));
        foreach (var comment in evidence.Comments.TakeLast(2))
        {
            var subject = comment.Title ?? comment.ItemId;
            claims.Add(new ChainClaim(ClaimKind.CommentAspect, subject,
                $"Commented on {PromptText.Quote(subject, 60)}: {PromptText.Quote(comment.Text, _maxCommentChars)}."));
        }
        foreach (var c in evidence.Categories.Where(c => evidence.Engaged(c) == 0 && evidence.Shown(c) == 1).Take(2))
            claims.Add(new ChainClaim(ClaimKind.ExplorationHint, c, Invariant($"May be open to {c}, shown it once so far.")));
        foreach (var c in _priors.Popular.Where(c => evidence.Engaged(c) == 0).Take(2))
            claims.Add(new ChainClaim(ClaimKind.PopularPrior, c, Invariant($"Probably enjoys {c}, like most viewers.")));

        var candidates = new List<ClaimCandidate>(Math.Min(claims.Count, _maxCandidates));
        var seen = new HashSet<(ClaimKind, string)>();
        foreach (var claim in claims)
        {
            if (candidates.Count == _maxCandidates)
                break;
            if (seen.Add((claim.Kind, claim.Subject)))
                candidates.Add(new ClaimCandidate(claim, Features(claim, evidence)));
        }
        return candidates;
    }

    /// <summary>The policy's features of one claim.</summary>
    public float[] Features(ChainClaim claim, CategoryEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(evidence);
        var f = new float[FeatureCount];
        f[(int)claim.Kind] = 1;
        var c = claim.Subject;
        var isCategory = claim.Kind != ClaimKind.CommentAspect;
        var recentTotal = evidence.Categories.Sum(evidence.RecentEngaged);
        f[KindCount + 0] = isCategory ? MathF.Log(1 + evidence.Engaged(c)) : 0;
        f[KindCount + 1] = isCategory ? MathF.Log(1 + evidence.Skipped(c)) : 0;
        f[KindCount + 2] = isCategory ? (float)evidence.EngagedShare(c) : 0;
        f[KindCount + 3] = isCategory ? (float)evidence.EngagementRate(c) : 0;
        f[KindCount + 4] = isCategory ? (float)evidence.Recency(c) : 1;
        f[KindCount + 5] = isCategory && recentTotal > 0 ? (float)evidence.RecentEngaged(c) / recentTotal : 0;
        f[KindCount + 6] = MathF.Log(1 + evidence.HistoryLength);
        f[KindCount + 7] = isCategory ? (float)_priors.RateOf(c) : (float)_priors.OverallRate;
        return f;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
