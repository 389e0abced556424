namespace TrackRec.Streaming.UserState;

/// <summary>One remembered interaction. <see cref="Text"/> is set for comments only and is untrusted user text.</summary>
public sealed record HistoryEntry(string ItemId, Signal Signal, DateTimeOffset Time, string? Text = null);
