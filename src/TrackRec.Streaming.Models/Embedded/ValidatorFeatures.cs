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
        var statistics = Statistics(item, evidence, priors);
        f[8] = statistics[3];
        f[9] = statistics[4];
        f[10] = statistics[5];
        f[11] = claims.Count;
        return f;
    }

    /// <summary>Width of <see cref="Statistics"/>.</summary>
    public const int StatisticsCount = 6;

    /// <summary>
    /// The statistics the validator reads, without any chain: per item category (averaged over the item's
    /// categories) log(1 + engaged count), log(1 + shown count) and the smoothed engagement rate
    /// the claims are judged by, then the user's base rate, log(1 + history length) and the category prior
    /// rate (features 8 to 10 of <see cref="Of"/>). A backbone given these sees what the validator sees.
    /// </summary>
    public static float[] Statistics(CandidateItem item, CategoryEvidence evidence, CategoryPriors priors)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(priors);
        var categories = item.Categories.Count == 0 ? (IReadOnlyList<string>)[""] : item.Categories;
        var f = new float[StatisticsCount];
        f[0] = (float)categories.Average(c => Math.Log(1 + evidence.Engaged(c)));
        f[1] = (float)categories.Average(c => Math.Log(1 + evidence.Shown(c)));
        f[2] = (float)categories.Average(evidence.EngagementRate);
        f[3] = BaseRate(evidence);
        f[4] = MathF.Log(1 + evidence.HistoryLength);
        f[5] = (float)categories.Average(priors.RateOf);
        return f;
    }

    // The user's smoothed engagement rate over everything shown (0 without history).
    private static float BaseRate(CategoryEvidence evidence) =>
        evidence.TotalShown + evidence.TotalEngaged == 0 ? 0 : (evidence.TotalEngaged + 1f) / (evidence.TotalShown + 2f);

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
