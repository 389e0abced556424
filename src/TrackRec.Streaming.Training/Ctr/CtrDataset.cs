namespace TrackRec.Streaming.Training.Ctr;

/// <summary>
/// CTR examples as the backbone reads them, one row per impression in event-time order: vocabulary indices
/// of the user and the target item, the target's catalog index (for its categories, known even when the id
/// is out of vocabulary), the last <see cref="HistoryLength"/> engaged items (indices and catalog indices, 0 =
/// padding, newest last), the label, and optionally the chain feature vectors (missing chains are zeros).
/// </summary>
public sealed class CtrDataset
{
    /// <summary>Creates a dataset; arrays are taken as they are (row-major for history and vectors).</summary>
    public CtrDataset(int historyLength, long[] users, long[] items, long[] itemCatalog, long[] history, long[] historyCatalog, float[] labels, IReadOnlyList<float[]>? chainVectors = null, IReadOnlyList<int>? chainDims = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(itemCatalog);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(historyCatalog);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLength, 1);
        var n = labels.Length;
        if (users.Length != n || items.Length != n || itemCatalog.Length != n)
            throw new ArgumentException("user, item and label arrays must have one entry per example");
        if (history.Length != n * historyLength || historyCatalog.Length != n * historyLength)
            throw new ArgumentException($"history arrays must hold {historyLength} entries per example");
        if ((chainVectors is null) != (chainDims is null) || (chainVectors is not null && chainVectors.Count != chainDims!.Count))
            throw new ArgumentException("chain vectors and their widths go together");
        for (var k = 0; k < (chainVectors?.Count ?? 0); k++)
            if (chainVectors![k].Length != n * chainDims![k])
                throw new ArgumentException($"chain vector {k} must hold {chainDims[k]} values per example");
        HistoryLength = historyLength;
        Users = users;
        Items = items;
        ItemCatalog = itemCatalog;
        History = history;
        HistoryCatalog = historyCatalog;
        Labels = labels;
        ChainVectors = chainVectors;
        ChainDims = chainDims;
    }

    /// <summary>Examples.</summary>
    public int Count => Labels.Length;

    /// <summary>History slots per example.</summary>
    public int HistoryLength { get; }

    /// <summary>User vocabulary index per example.</summary>
    public long[] Users { get; }

    /// <summary>Target item vocabulary index per example.</summary>
    public long[] Items { get; }

    /// <summary>Target item catalog index per example (0 = not in the catalog).</summary>
    public long[] ItemCatalog { get; }

    /// <summary>History item vocabulary indices, <see cref="HistoryLength"/> per example, 0 = empty slot.</summary>
    public long[] History { get; }

    /// <summary>History item catalog indices, like <see cref="History"/>.</summary>
    public long[] HistoryCatalog { get; }

    /// <summary>0/1 labels.</summary>
    public float[] Labels { get; }

    /// <summary>The chain feature vectors, each flattened [examples * width]; null without chain features.</summary>
    public IReadOnlyList<float[]>? ChainVectors { get; }

    /// <summary>Width of each chain feature vector.</summary>
    public IReadOnlyList<int>? ChainDims { get; }

    /// <summary>Whether the rows carry chain features.</summary>
    public bool HasChainFeatures => ChainVectors is { Count: > 0 };

    /// <summary>The rows <paramref name="rows"/> (in that order) as a new dataset.</summary>
    public CtrDataset Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var l = HistoryLength;
        var history = new long[rows.Count * l];
        var historyCatalog = new long[rows.Count * l];
        for (var r = 0; r < rows.Count; r++)
        {
            Array.Copy(History, rows[r] * l, history, r * l, l);
            Array.Copy(HistoryCatalog, rows[r] * l, historyCatalog, r * l, l);
        }
        List<float[]>? vectors = null;
        if (ChainVectors is not null)
        {
            vectors = [];
            for (var k = 0; k < ChainVectors.Count; k++)
            {
                var d = ChainDims![k];
                var v = new float[rows.Count * d];
                for (var r = 0; r < rows.Count; r++)
                    Array.Copy(ChainVectors[k], rows[r] * d, v, r * d, d);
                vectors.Add(v);
            }
        }
        return new CtrDataset(l, [.. rows.Select(r => Users[r])], [.. rows.Select(r => Items[r])], [.. rows.Select(r => ItemCatalog[r])],
            history, historyCatalog, [.. rows.Select(r => Labels[r])], vectors, ChainDims);
    }

    /// <summary>The same rows without chain features.</summary>
    public CtrDataset WithoutChainFeatures() => new(HistoryLength, Users, Items, ItemCatalog, History, HistoryCatalog, Labels);

    /// <summary>The same rows with other chain features.</summary>
    public CtrDataset WithChainFeatures(IReadOnlyList<float[]> vectors, IReadOnlyList<int> dims) => new(HistoryLength, Users, Items, ItemCatalog, History, HistoryCatalog, Labels, vectors, dims);
}
