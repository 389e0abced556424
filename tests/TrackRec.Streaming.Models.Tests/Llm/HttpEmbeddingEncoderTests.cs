using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Tests.Llm;

public sealed class HttpEmbeddingEncoderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Vectors_come_back_l2_normalised_in_input_order_and_the_dimension_is_learned()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Embeddings((1, [0f, 3f, 4f]), (0, [2f, 0f, 0f])));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters, o => o.EmbeddingModel = "test-embedder");
        var encoder = backend.Encoder!;
        Assert.Equal(0, encoder.Dimension);

        var vectors = await encoder.EncodeAsync(["chain text", "prompt text"], Ct);

        Assert.Equal([1f, 0f, 0f], vectors[0]);
        Assert.Equal([0f, 0.6f, 0.8f], vectors[1]);
        Assert.Equal(3, encoder.Dimension);
        Assert.Equal("llm:test-embedder:embeddings", encoder.Version);
        var request = Assert.Single(server.Requests);
        Assert.Equal("/v1/embeddings", request.Path);
        Assert.Equal("test-embedder", request.Body["model"]!.GetValue<string>());
        Assert.Equal(["chain text", "prompt text"], request.Body["input"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Inputs_are_sent_in_batches()
    {
        await using var server = FakeOpenAiServer.Start(r =>
            ScriptedReply.Embeddings(r.Body["input"]!.AsArray().Select((_, i) => (i, new[] { 1f, 1f })).ToArray()));
        using var backend = LlmTestData.Backend(server, new ModelCallCounters(), o =>
        {
            o.EmbeddingModel = "test-embedder";
            o.EmbeddingBatchSize = 2;
        });

        var vectors = await backend.Encoder!.EncodeAsync(["a", "b", "c"], Ct);

        Assert.Equal(3, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 6));
        Assert.Equal([2, 1], server.Requests.Select(r => r.Body["input"]!.AsArray().Count));
    }

    [Fact]
    public async Task A_zero_vector_or_a_wrong_dimension_is_a_counted_malformed_answer()
    {
        await using var server = FakeOpenAiServer.Start(r => r.Body["input"]!.AsArray().Count == 1
            ? ScriptedReply.Embeddings((0, [0f, 0f, 0f]))
            : ScriptedReply.Embeddings((0, [1f, 0f, 0f]), (1, [1f, 0f])));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters, o => o.EmbeddingModel = "test-embedder");

        await Assert.ThrowsAsync<MalformedAnswerException>(() => backend.Encoder!.EncodeAsync(["one"], Ct));
        await Assert.ThrowsAsync<MalformedAnswerException>(() => backend.Encoder!.EncodeAsync(["one", "two"], Ct));

        Assert.Equal(2, counters.MalformedAnswers);
    }

    [Fact]
    public async Task Without_an_embedding_model_the_backend_has_no_encoder()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Chat("x"));
        using var backend = LlmTestData.Backend(server, new ModelCallCounters());

        Assert.Null(backend.Encoder);
    }
}
