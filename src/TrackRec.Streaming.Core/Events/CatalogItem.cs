namespace TrackRec.Streaming.Events;

/// <summary>An entry of the item catalog, read as a table keyed by <see cref="ItemId"/> (latest wins).</summary>
public sealed record CatalogItem(
    string ItemId,
    string Title,
    IReadOnlyList<string> Categories,
    string? Text = null,
    DateTimeOffset? UpdatedAt = null);
