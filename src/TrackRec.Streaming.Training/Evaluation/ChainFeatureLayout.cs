using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// Which dense features go into the backbone beside ids, categories and history, in adapter order:
/// the validator's statistics (B1), content (the item's text embedding and the mean embedding of the
/// engaged history's texts, both <see cref="ContentWidth"/> wide, and their cosine; B2), and the chain features:
/// the chain and prompt embeddings (<see cref="EmbeddingWidth"/> wide, from the encoder role), their cosines with
/// the item's text embedding (relevance, 2 wide; 1 when the chains carry no prompt embedding), the validator's score
/// (1 wide) and exploration (2 wide: does the chain's explorer name the item's categories, and how high).
/// </summary>
/// <remarks>
/// The cosines are given explicitly because the backbone's experts see the vectors side by side and an MLP learns
/// a dot product of two 384-wide inputs slowly; the encoder's adapter is trained so that exactly this cosine ranks
/// the item a user engages with next. B2 gets the history's cosine for the same reason, so that the chain's
/// relevance is compared with the content relevance a baseline can compute without a chain.
/// </remarks>
public sealed record ChainFeatureLayout(int EmbeddingWidth, bool ChainEmbedding = true, bool PromptEmbedding = true, bool ValidatorScore = true)
{
    /// <summary>Width of the exploration vector.</summary>
    public const int ExplorationWidth = 2;

    /// <summary>
    /// Whether the chains carry a prompt embedding at all (the writer's <c>EmbedPrompt</c>). Without one, neither the
    /// prompt embedding nor its cosine is a column, rather than a column of zeros.
    /// </summary>
    public bool PromptEmbedded { get; init; } = true;

    /// <summary>Width of the relevance vector: cosine of the chain's embedding with the item's, and of the prompt's where chains carry one.</summary>
    public int RelevanceWidth => PromptEmbedded ? 2 : 1;

    /// <summary>Whether the prompt embedding is a column.</summary>
    public bool HasPromptEmbedding => PromptEmbedding && PromptEmbedded && EmbeddingWidth > 0;

    /// <summary>The validator's statistics without a chain (<see cref="ValidatorFeatures.Statistics"/>).</summary>
    public bool Statistics { get; init; }

    /// <summary>The item's and the engaged history's text embeddings.</summary>
    public bool Content { get; init; }

    /// <summary>Width of the content embeddings (0: no encoder, no content).</summary>
    public int ContentWidth { get; init; }

    /// <summary>Whether the chain's exploration candidates name the item's categories.</summary>
    public bool Exploration { get; init; }

    /// <summary>Cosines of the chain's and the prompt's embeddings with the item's text embedding (needs content width).</summary>
    public bool Relevance { get; init; }

    /// <summary>No dense feature: the plain backbone (B0).</summary>
    public static ChainFeatureLayout None { get; } = new(0, false, false, false);

    /// <summary>Whether any chain feature is in.</summary>
    public bool AnyChainFeature => ChainEmbedding && EmbeddingWidth > 0 || HasPromptEmbedding || ValidatorScore || Exploration || HasRelevance;

    /// <summary>Whether the relevance cosines are in: they need the chain's and the items' embeddings in one width.</summary>
    public bool HasRelevance => Relevance && EmbeddingWidth > 0 && EmbeddingWidth == ContentWidth;

    /// <summary>Widths of the vectors, in order.</summary>
    public IReadOnlyList<int> Dims
    {
        get
        {
            var dims = new List<int>();
            if (Statistics)
                dims.Add(ValidatorFeatures.StatisticsCount);
            if (Content && ContentWidth > 0)
            {
                dims.Add(ContentWidth);
                dims.Add(ContentWidth);
                dims.Add(1);
            }
            if (ChainEmbedding && EmbeddingWidth > 0)
                dims.Add(EmbeddingWidth);
            if (HasPromptEmbedding)
                dims.Add(EmbeddingWidth);
            if (HasRelevance)
                dims.Add(RelevanceWidth);
            if (ValidatorScore)
                dims.Add(1);
            if (Exploration)
                dims.Add(ExplorationWidth);
            return dims;
        }
    }

    /// <summary>
    /// The layout with every chain feature, for the embedding width found in <paramref name="impressions"/> (0 without an
    /// encoder), with a prompt embedding only where some chain carries one.
    /// </summary>
    public static ChainFeatureLayout For(IReadOnlyCollection<EvalImpression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        var width = impressions.Select(i => i.Chain?.Embedding.Count ?? 0).FirstOrDefault(w => w > 0);
        return new ChainFeatureLayout(width) { PromptEmbedded = impressions.Any(i => i.Chain?.PromptEmbedding.Count > 0) };
    }
}
