namespace TrackRec.Streaming.Chains;

/// <summary>
/// A recommendation chain of thought for one user: reasoning about what the user likes, written
/// from their history (never from a target item), so one chain serves every candidate item. The selected
/// chain of a generation; the others sampled with it stay in <see cref="Samples"/> for the feedback loop.
/// </summary>
/// <param name="ChainId">Deterministic id (user, history version, generator version), so a replay names the same chain.</param>
/// <param name="GeneratedAt">Event time of the history the chain was written from.</param>
/// <param name="HistoryVersion">How many events the user's history had absorbed when the chain was written.</param>
public sealed record Chain(
    string ChainId,
    string UserId,
    string Text,
    string GeneratorVersion,
    DateTimeOffset GeneratedAt,
    long HistoryVersion,
    IReadOnlyList<float> Embedding,
    IReadOnlyList<string> ExplorationCandidates)
{
    /// <summary>The selected draft's structure (empty for free text), which the validator reads.</summary>
    public IReadOnlyList<ChainClaim> Claims { get; init; } = [];

    /// <summary>log pi(chain | prompt) under the generator that sampled it, when known.</summary>
    public double? LogProbability { get; init; }

    /// <summary>Mean validator reward on the held-out outcomes (what selection maximised); null when there were none.</summary>
    public double? HeldOutReward { get; init; }

    /// <summary>Embedding of the prompt (the history the chain was written from), for the CTR model next to <see cref="Embedding"/>.</summary>
    public IReadOnlyList<float> PromptEmbedding { get; init; } = [];

    /// <summary>Versions of every model that took part.</summary>
    public ModelVersions Versions { get; init; } = ModelVersions.None;

    /// <summary>Every chain sampled in this generation (the selected one included), with its held-out reward.</summary>
    public IReadOnlyList<SampledChain> Samples { get; init; } = [];

    /// <summary>Index in <see cref="Samples"/> of the selected chain.</summary>
    public int SelectedIndex { get; init; }

    /// <summary>Impressions whose outcomes were used to select, so they are never counted again as feedback on the selection.</summary>
    public IReadOnlySet<string> HeldOutImpressionIds { get; init; } = new HashSet<string>();

    /// <summary>Roles that failed while the chain was made (the chain is usable, but marked degraded).</summary>
    public IReadOnlyList<string> DegradedRoles { get; init; } = [];

    /// <summary>What the generator read (kept in memory for the feedback loop, not published).</summary>
    public ChainRequest? Request { get; init; }

    /// <summary>The selected chain as a draft, as the validator scores it.</summary>
    public ChainDraft AsDraft() => new(Text, Claims, LogProbability);
}
