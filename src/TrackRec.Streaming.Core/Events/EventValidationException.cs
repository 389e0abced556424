namespace TrackRec.Streaming.Events;

/// <summary>A decoded record breaks a rule of the contract (a required field is empty, a time is missing).</summary>
public sealed class EventValidationException(string message) : Exception(message);
