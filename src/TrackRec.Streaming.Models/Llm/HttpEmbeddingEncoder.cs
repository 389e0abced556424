using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// The encoder role on an OpenAI-compatible <c>/embeddings</c> endpoint (vLLM, llama.cpp server and Ollama
/// serve one), for deployments that embed chains with a served model instead of the embedded ONNX encoder.
/// Vectors are L2-normalised here, whatever the server does, as <see cref="IChainEncoder"/> promises. The
/// dimension comes from <see cref="LlmOptions.EmbeddingDimension"/> or, when that is 0, from the first answer;
/// an answer of another length, an empty vector or a non-finite one is malformed.
/// </summary>
public sealed class HttpEmbeddingEncoder : IChainEncoder
{
    private const string Role = "encoder";

    private readonly OpenAiCompatibleClient _client;
    private readonly string _model;
    private int _dimension;

    /// <summary>Creates the encoder for <see cref="LlmOptions.EmbeddingModel"/> on a client.</summary>
    public HttpEmbeddingEncoder(OpenAiCompatibleClient client)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        _model = client.Options.EmbeddingModel is { Length: > 0 } model && !string.IsNullOrWhiteSpace(model)
            ? model
            : throw new ArgumentException($"{LlmOptions.Section}:EmbeddingModel is not set", nameof(client));
        _dimension = client.Options.EmbeddingDimension;
        Version = $"llm:{_model}:embeddings";
    }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    /// <remarks>0 until the first answer when the dimension is learned rather than configured.</remarks>
    public int Dimension => Volatile.Read(ref _dimension);

    /// <inheritdoc />
    public async Task<IReadOnlyList<float[]>> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new List<float[]>(texts.Count);
        foreach (var batch in texts.Chunk(_client.Options.EmbeddingBatchSize))
        {
            var answer = await _client.EmbedAsync(Role, _model, batch, cancellationToken).ConfigureAwait(false);
            foreach (var vector in answer)
                vectors.Add(Normalised(vector));
        }
        return vectors;
    }

    private float[] Normalised(float[] vector)
    {
        var expected = Dimension;
        if (expected == 0 && vector.Length > 0)
            expected = Interlocked.CompareExchange(ref _dimension, vector.Length, 0) is var previous && previous == 0 ? vector.Length : previous;
        if (vector.Length == 0 || vector.Length != expected)
            throw Malformed($"an embedding of length {vector.Length}, expected {expected}");
        double sum = 0;
        foreach (var x in vector)
            sum += (double)x * x;
        var norm = Math.Sqrt(sum);
        if (!double.IsFinite(norm) || norm == 0)
            throw Malformed("an embedding with zero or non-finite length");
        var result = new float[vector.Length];
        for (var i = 0; i < vector.Length; i++)
            result[i] = (float)(vector[i] / norm);
        return result;
    }

    private MalformedAnswerException Malformed(string what)
    {
        _client.Counters.CountMalformed();
        return new MalformedAnswerException(Role, $"the server returned {what}");
    }
}
