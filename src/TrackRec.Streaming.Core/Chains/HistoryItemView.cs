using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Chains;

/// <summary>An interaction with the item described from the catalog: what a generator reads about the user.</summary>
public sealed record HistoryItemView(
    string ItemId,
    string? Title,
    IReadOnlyList<string> Categories,
    Signal Signal,
    DateTimeOffset Time,
    string? Text);
