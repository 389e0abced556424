namespace TrackRec.Streaming.Events;

/// <summary>
/// A user clicked an item. <see cref="ImpressionId"/> is optional: without it the click is attributed
/// to the latest open impression of the same user and item.
/// </summary>
public sealed record Click(
    string EventId,
    string UserId,
    string ItemId,
    DateTimeOffset EventTime,
    string? ImpressionId = null) : BehaviourEvent(EventId, UserId, ItemId, EventTime);
