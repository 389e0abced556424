namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// Which chain features go into the backbone, in adapter order: the chain embedding and the prompt embedding
/// (both <see cref="EmbeddingWidth"/> wide, from the encoder role) and the validator's score (1 wide).
/// </summary>
public sealed record ChainFeatureLayout(int EmbeddingWidth, bool ChainEmbedding = true, bool PromptEmbedding = true, bool ValidatorScore = true)
{
    /// <summary>Widths of the vectors, in order.</summary>
    public IReadOnlyList<int> Dims
    {
        get
        {
            var dims = new List<int>();
            if (ChainEmbedding && EmbeddingWidth > 0)
                dims.Add(EmbeddingWidth);
            if (PromptEmbedding && EmbeddingWidth > 0)
                dims.Add(EmbeddingWidth);
            if (ValidatorScore)
                dims.Add(1);
            return dims;
        }
    }

    /// <summary>The layout with every feature, for the embedding width found in <paramref name="impressions"/> (0 without an encoder).</summary>
    public static ChainFeatureLayout For(IEnumerable<EvalImpression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        var width = impressions.Select(i => i.Chain?.Embedding.Count ?? 0).FirstOrDefault(w => w > 0);
        return new ChainFeatureLayout(width);
    }
}
