using System.Collections.Concurrent;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Catalog;

/// <summary>
/// The catalog as an in-memory table (latest record per item wins). Every partition's pipeline reads
/// it while one reader keeps it current, hence the concurrent dictionary.
/// </summary>
public sealed class ItemCatalog : IItemCatalog
{
    private readonly ConcurrentDictionary<string, CatalogItem> _items = new(StringComparer.Ordinal);

    /// <summary>Items known.</summary>
    public int Count => _items.Count;

    /// <inheritdoc />
    public CatalogItem? Find(string itemId) => _items.GetValueOrDefault(itemId);

    /// <summary>Inserts or replaces an item.</summary>
    public void Upsert(CatalogItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        _items[item.ItemId] = item;
    }
}
