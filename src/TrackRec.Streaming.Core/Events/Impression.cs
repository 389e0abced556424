namespace TrackRec.Streaming.Events;

/// <summary>An item was shown to a user. The unit a feature record and an outcome label are made for.</summary>
public sealed record Impression(
    string EventId,
    string UserId,
    string ItemId,
    DateTimeOffset EventTime,
    string ImpressionId,
    int? Position = null,
    string? Surface = null) : BehaviourEvent(EventId, UserId, ItemId, EventTime);
