namespace TrackRec.Streaming.Events;

/// <summary>
/// Free text a user wrote about an item. The text is untrusted user data: it reaches prompts only
/// fenced and length-limited (see <see cref="Chains.PromptText"/>).
/// </summary>
public sealed record Comment(
    string EventId,
    string UserId,
    string ItemId,
    DateTimeOffset EventTime,
    string Text) : BehaviourEvent(EventId, UserId, ItemId, EventTime);
