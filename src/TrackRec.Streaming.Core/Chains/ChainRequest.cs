namespace TrackRec.Streaming.Chains;

/// <summary>
/// What the model roles may see about one user. <see cref="History"/> is the generator's input: never a
/// target item, and never the items of <see cref="HeldOut"/>, which are the user's most recent labelled
/// outcomes kept aside so the validator can score each sampled chain on behaviour the chain did not see.
/// </summary>
/// <param name="HistoryVersion">How many events the user's history had absorbed (chain staleness is counted in these).</param>
/// <param name="AsOf">Event time of the request: the newest event the chain may know about.</param>
public sealed record ChainRequest(
    string UserId,
    IReadOnlyList<HistoryItemView> History,
    IReadOnlyList<HeldOutOutcome> HeldOut,
    long HistoryVersion,
    DateTimeOffset AsOf);
