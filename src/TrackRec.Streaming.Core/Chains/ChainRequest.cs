namespace TrackRec.Streaming.Chains;

/// <summary>
/// What a generator may see when writing a user's chain: their history, never a target item
/// (so one chain serves every candidate), and the held-out outcomes only for scoring.
/// </summary>
public sealed record ChainRequest(
    string UserId,
    IReadOnlyList<HistoryItemView> History,
    long HistoryVersion,
    DateTimeOffset AsOf);
