using TrackRec.Streaming.Events;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Training.Ctr;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// Turns labelled impressions into <see cref="CtrDataset"/> rows: vocabularies of users and items fitted on
/// the TRAIN impressions only (index 0 = padding, 1 = out of vocabulary, so unknown test ids share one
/// index), the catalog's categories for every item (side information, known for new items too), the last
/// <see cref="HistoryLength"/> items the user engaged with (clicked or commented) before the impression, and
/// optionally dense features (<see cref="ChainFeatureLayout"/>: the validator's statistics, content, chain
/// features; missing chains are zero vectors).
/// </summary>
public sealed class CtrFeaturizer
{
    private const int Padding = 0;
    private const int OutOfVocabulary = 1;
    private readonly Dictionary<string, int> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _catalog = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyList<int>> _itemCategories = [[]];
    private readonly Dictionary<string, int> _categories = new(StringComparer.Ordinal);

    private CtrFeaturizer(int historyLength) => HistoryLength = historyLength;

    /// <summary>History slots per example.</summary>
    public int HistoryLength { get; }

    /// <summary>The backbone's sizes for these vocabularies (no chain features; the trainer adds their widths).</summary>
    public CtrModelShape Shape => new(_users.Count + 2, _items.Count + 2, _categories.Count, _itemCategories, HistoryLength);

    /// <summary>Fits the vocabularies on <paramref name="train"/> (targets and histories) and indexes the catalog.</summary>
    public static CtrFeaturizer Fit(IReadOnlyList<CatalogItem> catalog, IEnumerable<LabelledImpression> train, int historyLength = 10)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyLength, 1);
        var f = new CtrFeaturizer(historyLength);
        foreach (var item in catalog)
        {
            if (f._catalog.ContainsKey(item.ItemId))
                continue;
            f._catalog[item.ItemId] = f._itemCategories.Count;
            f._itemCategories.Add(item.Categories.Distinct(StringComparer.Ordinal)
                .Select(c => f._categories.TryGetValue(c, out var i) ? i : f._categories[c] = f._categories.Count).ToList());
        }
        foreach (var l in train)
        {
            f._users.TryAdd(l.Request.UserId, f._users.Count + 2);
            f._items.TryAdd(l.Item.ItemId, f._items.Count + 2);
            foreach (var h in EngagedHistory(l, historyLength))
                f._items.TryAdd(h, f._items.Count + 2);
        }
        return f;
    }

    /// <summary>
    /// The last <paramref name="length"/> distinct items the user clicked or commented on before the impression,
    /// oldest first: the request's history plus its held-out clicks (the request keeps those out of the
    /// generator's prompt, but they happened before the impression and the backbone may read them).
    /// </summary>
    public static IReadOnlyList<string> EngagedHistory(LabelledImpression impression, int length)
    {
        ArgumentNullException.ThrowIfNull(impression);
        var engaged = impression.Request.History.Where(h => h.Signal != Signal.Impression).Select(h => (h.ItemId, h.Time))
            .Concat(impression.Request.HeldOut.Where(h => h.Clicked).Select(h => (h.Item.ItemId, Time: h.ImpressionTime)))
            .OrderBy(x => x.Time)
            .ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var newestFirst = new List<string>();
        for (var i = engaged.Count - 1; i >= 0 && newestFirst.Count < length; i--)
            if (seen.Add(engaged[i].ItemId))
                newestFirst.Add(engaged[i].ItemId);
        newestFirst.Reverse();
        return newestFirst;
    }

    /// <summary>
    /// Rows for <paramref name="impressions"/>, with the dense features of <paramref name="layout"/> (null: none);
    /// statistics and content need <paramref name="context"/>.
    /// </summary>
    public CtrDataset Build(IReadOnlyList<EvalImpression> impressions, ChainFeatureLayout? layout, FeatureContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        if (layout is { Statistics: true } or { Content: true, ContentWidth: > 0 } && context is null)
            throw new ArgumentException("statistics and content features need a feature context", nameof(context));
        if (layout?.Dims.Count == 0)
            layout = null;
        var n = impressions.Count;
        var l = HistoryLength;
        var users = new long[n];
        var items = new long[n];
        var itemCatalog = new long[n];
        var history = new long[n * l];
        var historyCatalog = new long[n * l];
        var labels = new float[n];
        var dims = layout?.Dims ?? [];
        var vectors = dims.Select(d => new float[n * d]).ToList();
        for (var r = 0; r < n; r++)
        {
            var e = impressions[r];
            var labelled = e.Labelled;
            users[r] = _users.GetValueOrDefault(labelled.Request.UserId, OutOfVocabulary);
            items[r] = ItemIndex(labelled.Item.ItemId);
            itemCatalog[r] = _catalog.GetValueOrDefault(labelled.Item.ItemId, Padding);
            var engaged = EngagedHistory(labelled, l);
            // Right-aligned: the newest engagement in the last slot, empty slots (0) first.
            for (var j = 0; j < engaged.Count; j++)
            {
                var slot = r * l + (l - engaged.Count + j);
                history[slot] = ItemIndex(engaged[j]);
                historyCatalog[slot] = _catalog.GetValueOrDefault(engaged[j], Padding);
            }
            labels[r] = labelled.Clicked ? 1f : 0f;
            if (layout is null)
                continue;
            var k = 0;
            if (layout.Statistics)
                Copy(ValidatorFeatures.Statistics(labelled.Item, CategoryEvidence.From(labelled.Request.History), context!.Priors), vectors[k++], r, ValidatorFeatures.StatisticsCount);
            if (layout.Content && layout.ContentWidth > 0)
            {
                if (context!.Embedding(labelled.Item.ItemId) is { } own)
                    Copy(own, vectors[k], r, layout.ContentWidth);
                MeanInto(engaged.Select(context.Embedding).OfType<float[]>().ToList(), vectors[k + 1], r, layout.ContentWidth);
                vectors[k + 2][r] = Cosine(vectors[k], vectors[k + 1], r, layout.ContentWidth);
                k += 3;
            }
            if (e.Chain is null)
                continue; // a missing chain is a zero vector
            if (layout.ChainEmbedding && layout.EmbeddingWidth > 0)
                Copy(e.Chain.Embedding, vectors[k++], r, layout.EmbeddingWidth);
            if (layout.HasPromptEmbedding)
                Copy(e.Chain.PromptEmbedding, vectors[k++], r, layout.EmbeddingWidth);
            if (layout.HasRelevance)
            {
                if (context?.Embedding(labelled.Item.ItemId) is { } item)
                {
                    vectors[k][r * layout.RelevanceWidth] = Cosine(e.Chain.Embedding, item);
                    if (layout.PromptEmbedded)
                        vectors[k][r * layout.RelevanceWidth + 1] = Cosine(e.Chain.PromptEmbedding, item);
                }
                k++;
            }
            if (layout.ValidatorScore)
                vectors[k++][r] = (float)(e.ValidatorScore ?? 0);
            if (layout.Exploration)
                Exploration(e.Chain.ExplorationCandidates, labelled.Item.Categories, vectors[k++], r);
        }
        return layout is null ? new CtrDataset(l, users, items, itemCatalog, history, historyCatalog, labels)
            : new CtrDataset(l, users, items, itemCatalog, history, historyCatalog, labels, vectors, dims);
    }

    private long ItemIndex(string itemId) => _items.GetValueOrDefault(itemId, OutOfVocabulary);

    // Share of the item's categories the explorer proposes, and 1 / (1 + rank) of the first it proposes.
    private static void Exploration(IReadOnlyList<string> candidates, IReadOnlyList<string> categories, float[] target, int row)
    {
        if (categories.Count == 0 || candidates.Count == 0)
            return;
        target[row * ChainFeatureLayout.ExplorationWidth] = (float)categories.Count(c => candidates.Contains(c, StringComparer.Ordinal)) / categories.Count;
        var rank = candidates.Select((c, i) => (c, i)).FirstOrDefault(x => categories.Contains(x.c, StringComparer.Ordinal), (c: "", i: -1)).i;
        target[row * ChainFeatureLayout.ExplorationWidth + 1] = rank < 0 ? 0 : 1f / (1 + rank);
    }

    // 0 when either vector is missing or zero, so an item without text or a chain without embedding adds nothing.
    private static float Cosine(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        if (a.Count != b.Count || a.Count == 0)
            return 0;
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Count; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : (float)(dot / Math.Sqrt(na * nb));
    }

    private static float Cosine(float[] a, float[] b, int row, int width) =>
        Cosine(new ArraySegment<float>(a, row * width, width), new ArraySegment<float>(b, row * width, width));

    private static void MeanInto(IReadOnlyList<float[]> sources, float[] target, int row, int width)
    {
        if (sources.Count == 0)
            return;
        foreach (var source in sources)
            for (var i = 0; i < width && i < source.Length; i++)
                target[row * width + i] += source[i] / sources.Count;
    }

    private static void Copy(IReadOnlyList<float> source, float[] target, int row, int width)
    {
        if (source.Count != width)
            return; // no embedding (encoder failed): zeros
        for (var i = 0; i < width; i++)
            target[row * width + i] = source[i];
    }
}
