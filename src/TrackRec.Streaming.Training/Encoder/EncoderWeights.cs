namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// A trained encoder as plain arrays: vocabulary, token table, projection. Everything the ONNX export and
/// the TorchSharp reference computation need, with no libtorch handles to dispose.
/// The network: mean of the token vectors over the attention mask, times <see cref="Projection"/>, plus
/// <see cref="Bias"/>, L2-normalised.
/// </summary>
public sealed record EncoderWeights
{
    /// <summary>Tokens in id order, as written to vocab.txt.</summary>
    public required IReadOnlyList<string> Vocabulary { get; init; }

    /// <summary>Width of the token table.</summary>
    public required int EmbeddingDimension { get; init; }

    /// <summary>Length of the output vectors.</summary>
    public required int Dimension { get; init; }

    /// <summary>Token table, [vocabulary, EmbeddingDimension] row-major.</summary>
    public required float[] Embedding { get; init; }

    /// <summary>Projection, [EmbeddingDimension, Dimension] row-major (the transpose of torch's Linear weight).</summary>
    public required float[] Projection { get; init; }

    /// <summary>Projection bias, [Dimension].</summary>
    public required float[] Bias { get; init; }

    /// <summary>Most tokens per text the encoder was trained with.</summary>
    public required int MaxSequenceLength { get; init; }

    /// <summary>Whether texts are lower-cased before WordPiece.</summary>
    public bool LowerCase { get; init; } = true;
}
