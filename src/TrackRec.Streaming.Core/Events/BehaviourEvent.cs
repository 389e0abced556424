namespace TrackRec.Streaming.Events;

/// <summary>
/// Something a user did, stamped with the time it happened (event time, not arrival time).
/// Every input topic carries one of these, keyed by <see cref="UserId"/> so that one user's
/// events land on the same partition index of every input topic.
/// </summary>
public abstract record BehaviourEvent(string EventId, string UserId, string ItemId, DateTimeOffset EventTime);
