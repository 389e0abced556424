using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// The embedded validator's view of a (chain, item, user) triple. What the chain says about the item's
/// categories carries the category-level signal; the history contributes only the user's base rate and
/// how much there is of it, so the validator must read the chain to beat the base rate, which is what
/// makes its reward a judgement of the chain.
/// </summary>
public static class ValidatorFeatures
{
    /// <summary>Width of the feature vector.</summary>
    public const int Count = 12;

    /// <summary>The features of one triple.</summary>
    public static float[] Of(IReadOnlyList<ChainClaim> claims, CandidateItem item, CategoryEvidence evidence, CategoryPriors priors)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(priors);
        var f = new float[Count];
        var categories = item.Categories.Count == 0 ? (IReadOnlyList<string>)[""] : item.Categories;
        float Covered(ClaimKind kind) => (float)categories.Count(c => claims.Any(k => k.Kind == kind && k.Subject == c)) / categories.Count;
        f[0] = Covered(ClaimKind.Affinity);
        f[1] = Covered(ClaimKind.Aversion);
        f[2] = Covered(ClaimKind.RecentShift);
        f[3] = Covered(ClaimKind.ExplorationHint);
        f[4] = Covered(ClaimKind.PopularPrior);
        f[5] = claims.Any(k => k.Kind == ClaimKind.CommentAspect) ? 1 : 0;
        // Rank of the first claim on the item's categories: a chain leads with what it is surest of.
        var first = claims.Select((k, i) => (k, i)).FirstOrDefault(p => p.k.Kind != ClaimKind.CommentAspect && categories.Contains(p.k.Subject));
        f[6] = first.k is null ? 0 : 1f / (1 + first.i);
        f[7] = first.k is null ? 0 : first.k.Kind is ClaimKind.Aversion ? -1 : 1;
        f[8] = evidence.TotalShown + evidence.TotalEngaged == 0 ? 0 : (evidence.TotalEngaged + 1f) / (evidence.TotalShown + 2f);
        f[9] = MathF.Log(1 + evidence.HistoryLength);
        f[10] = (float)categories.Average(priors.RateOf);
        f[11] = claims.Count;
        return f;
    }

    /// <summary>
    /// Claims read from a free-text chain (an LLM's): every known category the text names counts as an
    /// affinity, so the embedded validator can score chains it did not compose.
    /// </summary>
    public static IReadOnlyList<ChainClaim> FromText(string text, IEnumerable<string> knownCategories)
    {
        ArgumentNullException.ThrowIfNull(knownCategories);
        if (string.IsNullOrEmpty(text))
            return [];
        return knownCategories
            .Where(c => c.Length > 0 && text.Contains(c, StringComparison.OrdinalIgnoreCase))
            .Select(c => new ChainClaim(ClaimKind.Affinity, c, c))
            .ToList();
    }
}
