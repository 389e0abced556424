using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// A deep copy of a real chain for another user: every string and array the worker would hold per user is
/// copied (as decoding and generation make new ones per user), while catalog data the worker shares across
/// users (titles, categories) stays shared. Used to measure memory per user without generating a million chains.
/// </summary>
internal static class ChainCloner
{
    public static Chain For(Chain template, string userId, int salt) => template with
    {
        ChainId = $"{userId}:{template.HistoryVersion}:{salt}",
        UserId = userId,
        Text = Copy(template.Text),
        Embedding = template.Embedding.ToArray(),
        ExplorationCandidates = template.ExplorationCandidates.Select(Copy).ToArray(),
        Claims = template.Claims.Select(CopyClaim).ToArray(),
        PromptEmbedding = template.PromptEmbedding.ToArray(),
        Samples = template.Samples.Select(s => s with { Draft = CopyDraft(s.Draft) }).ToArray(),
        HeldOutImpressionIds = template.HeldOutImpressionIds.Select(Copy).ToHashSet(StringComparer.Ordinal),
        DegradedRoles = template.DegradedRoles.ToArray(),
        Request = template.Request is { } r ? r with
        {
            UserId = userId,
            History = r.History.Select(h => h with { ItemId = Copy(h.ItemId), Text = h.Text is null ? null : Copy(h.Text) }).ToArray(),
            HeldOut = r.HeldOut.Select(h => h with { ImpressionId = Copy(h.ImpressionId) }).ToArray(),
        } : null,
    };

    private static ChainDraft CopyDraft(ChainDraft d) => d with { Text = Copy(d.Text), Claims = d.Claims.Select(CopyClaim).ToArray() };

    private static ChainClaim CopyClaim(ChainClaim c) => c with { Subject = Copy(c.Subject), Text = Copy(c.Text) };

    private static string Copy(string s) => new(s.AsSpan());
}
