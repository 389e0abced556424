namespace TrackRec.Streaming.Outcomes;

/// <summary>
/// The label of one impression, emitted exactly once per impression (keyed by <see cref="ImpressionId"/>).
/// <see cref="Commented"/> records whether the user also commented on the item inside the window.
/// </summary>
public sealed record Outcome(
    string ImpressionId,
    string UserId,
    string ItemId,
    DateTimeOffset ImpressionTime,
    OutcomeLabel Label,
    DateTimeOffset? ClickTime,
    bool Commented,
    DateTimeOffset ResolvedAt);
