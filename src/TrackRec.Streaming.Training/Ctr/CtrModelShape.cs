namespace TrackRec.Streaming.Training.Ctr;

/// <summary>
/// Sizes of the DIN backbone: vocabulary sizes (index 0 = padding, 1 = out of vocabulary), the catalog's
/// category table, embedding widths, and the chain feature vectors' widths (empty: no chain features).
/// </summary>
/// <param name="ItemCategories">Category indices (0-based into <paramref name="Categories"/>) per catalog index; row 0 (no catalog entry) is empty.</param>
public sealed record CtrModelShape(int Users, int Items, int Categories, IReadOnlyList<IReadOnlyList<int>> ItemCategories, int HistoryLength)
{
    /// <summary>Width of the user and item id embeddings.</summary>
    public int IdDimension { get; init; } = 16;

    /// <summary>Width of a category embedding (an item's categories are averaged).</summary>
    public int CategoryDimension { get; init; } = 8;

    /// <summary>Hidden width of DIN's local activation unit.</summary>
    public int AttentionHidden { get; init; } = 36;

    /// <summary>Hidden widths of the prediction MLP.</summary>
    public IReadOnlyList<int> HeadHidden { get; init; } = [64, 32];

    /// <summary>Cross layers of the DCN backbone.</summary>
    public int CrossLayers { get; init; } = 2;

    /// <summary>Widths of the chain feature vectors fed through the adapter; empty = none.</summary>
    public IReadOnlyList<int> ChainDims { get; init; } = [];

    /// <summary>Shared experts of the adapter.</summary>
    public int SharedExperts { get; init; } = 2;

    /// <summary>Experts of each chain vector of its own.</summary>
    public int ExpertsPerVector { get; init; } = 1;

    /// <summary>Hidden width of an adapter expert: 128 as in KAR, scaled down for narrow inputs (twice the widest, at least 16).</summary>
    public int AdapterHidden => ChainDims.Count == 0 ? 0 : Math.Clamp(2 * ChainDims.Max(), 16, 128);

    /// <summary>Output width of an adapter expert: 32 as in KAR, scaled down for narrow inputs (half the widest, at least 4).</summary>
    public int AdapterOutput => ChainDims.Count == 0 ? 0 : Math.Clamp(ChainDims.Max() / 2, 4, 32);
}
