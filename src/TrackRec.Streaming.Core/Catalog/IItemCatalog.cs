using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Catalog;

/// <summary>Read access to the item catalog, so the domain can describe items without knowing where the table lives.</summary>
public interface IItemCatalog
{
    /// <summary>The item, or null if the catalog has not seen it (yet).</summary>
    CatalogItem? Find(string itemId);
}
