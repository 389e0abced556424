namespace TrackRec.Streaming.Chains;

/// <summary>
/// A recommendation chain of thought for one user: reasoning about what the user likes, written
/// from their history (never from a target item), so one chain serves every candidate item.
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
    IReadOnlyList<string> ExplorationCandidates);
