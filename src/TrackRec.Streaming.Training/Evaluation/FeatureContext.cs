using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// What the backbone's non-chain dense features are computed from, fixed for a run: the category priors
/// the round-0 validator was trained with (so B1 reads exactly the validator's statistics) and every
/// catalog item's text embedding by the round-0 encoder (items without metadata have none: zeros).
/// </summary>
public sealed class FeatureContext
{
    private readonly IReadOnlyDictionary<string, float[]> _embeddings;

    private FeatureContext(CategoryPriors priors, IReadOnlyDictionary<string, float[]> embeddings, int width)
    {
        Priors = priors;
        _embeddings = embeddings;
        ContentWidth = width;
    }

    /// <summary>The validator's category priors.</summary>
    public CategoryPriors Priors { get; }

    /// <summary>Width of the item text embeddings (0 without an encoder).</summary>
    public int ContentWidth { get; }

    /// <summary>A context without content (no encoder).</summary>
    public static FeatureContext WithoutContent(CategoryPriors priors) => new(priors, new Dictionary<string, float[]>(), 0);

    /// <summary>Embeds every catalog item's text (<see cref="ItemText"/>) with <paramref name="encoder"/>, in chunks.</summary>
    public static async Task<FeatureContext> CreateAsync(CategoryPriors priors, IReadOnlyList<CatalogItem> items, IChainEncoder? encoder, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(priors);
        ArgumentNullException.ThrowIfNull(items);
        if (encoder is null)
            return WithoutContent(priors);
        var distinct = items.DistinctBy(i => i.ItemId, StringComparer.Ordinal).ToList();
        // Fixed chunks spread over the cores: a text's vector depends only on its chunk, never on the thread.
        const int chunk = 256;
        var chunks = Enumerable.Range(0, (distinct.Count + chunk - 1) / chunk).Select(c => distinct.Skip(c * chunk).Take(chunk).ToList()).ToList();
        var vectors = new IReadOnlyList<float[]>[chunks.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, chunks.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (c, token) => vectors[c] = await encoder.EncodeAsync(chunks[c].Select(ItemText).ToList(), token).ConfigureAwait(false)).ConfigureAwait(false);
        var embeddings = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var c = 0; c < chunks.Count; c++)
            for (var i = 0; i < chunks[c].Count; i++)
                embeddings[chunks[c][i].ItemId] = vectors[c][i];
        return new FeatureContext(priors, embeddings, encoder.Dimension);
    }

    /// <summary>The text an item is embedded from: title, categories, then its text (abstract or tags) where present.</summary>
    public static string ItemText(CatalogItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var categories = item.Categories.Count == 0 ? "" : $" ({string.Join(", ", item.Categories)})";
        return string.IsNullOrWhiteSpace(item.Text) ? item.Title + categories : $"{item.Title}{categories}. {item.Text}";
    }

    /// <summary>The item's embedding, or null when it has none.</summary>
    public float[]? Embedding(string itemId) => _embeddings.GetValueOrDefault(itemId);
}
