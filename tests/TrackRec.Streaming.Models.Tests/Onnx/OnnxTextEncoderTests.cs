using Microsoft.Extensions.Options;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Tests.Onnx;

/// <summary>
/// The ONNX encoder against models whose answers are known: BERT-shaped output mean-pooled over the
/// mask, already pooled output, batching, truncation, concurrency, loading from the model directory, and
/// settings errors that name the key to fix.
/// </summary>
public sealed class OnnxTextEncoderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public OnnxTextEncoderTests()
    {
        TinyEncoderModel.WriteVocabulary(_dir.File("vocab.txt"));
        TinyEncoderModel.WriteHiddenStateModel(_dir.File("bert.onnx"));
        TinyEncoderModel.WritePooledModel(_dir.File("pooled.onnx"));
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Hidden_state_output_is_mean_pooled_over_the_mask_with_zero_token_types_and_normalised()
    {
        using var encoder = new OnnxTextEncoder(Options("bert.onnx"));
        Assert.Equal("last_hidden_state", encoder.OutputName);
        Assert.Equal(TinyEncoderModel.Hidden, encoder.Dimension);

        // Different lengths in one batch: the short rows are padded, and the padding must not count.
        var vectors = await encoder.EncodeAsync(["Likes DRAMA and romance.", "horror", "the comedy, the drama"], Ct);

        AssertClose(TinyEncoderModel.ExpectedVector("likes", "drama", "and", "romance", "."), vectors[0]);
        AssertClose(TinyEncoderModel.ExpectedVector("horror"), vectors[1]);
        AssertClose(TinyEncoderModel.ExpectedVector("the", "comedy", ",", "the", "drama"), vectors[2]);
    }

    [Fact]
    public void Every_vector_has_unit_length_including_empty_and_unknown_text()
    {
        using var encoder = new OnnxTextEncoder(Options("bert.onnx"));
        var vectors = encoder.Encode(["", "zzz qqq", "drama", "likes romance and comedy and horror"], Ct);
        Assert.Equal(4, vectors.Count);
        foreach (var v in vectors)
        {
            Assert.Equal(TinyEncoderModel.Hidden, v.Length);
            Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 5);
        }
    }

    [Fact]
    public void Batches_give_the_same_vectors_as_one_text_at_a_time()
    {
        string[] texts = ["drama", "likes romance and comedy, and horror", "", "the the the the the the", "comedy.", "unknown words here", "horror and drama"];
        using var batched = new OnnxTextEncoder(Options("bert.onnx", o => o.BatchSize = 3));
        using var single = new OnnxTextEncoder(Options("bert.onnx", o => o.BatchSize = 1));

        var together = batched.Encode(texts, Ct);
        var alone = texts.Select(t => single.Encode([t], Ct)[0]).ToList();

        Assert.Equal(texts.Length, together.Count);
        for (var i = 0; i < texts.Length; i++)
            AssertClose(alone[i], together[i]);
    }

    [Fact]
    public void Texts_are_cut_to_MaxSequenceLength_tokens_including_CLS_and_SEP()
    {
        using var encoder = new OnnxTextEncoder(Options("bert.onnx", o => o.MaxSequenceLength = 4));
        var vector = encoder.Encode(["drama romance comedy horror"], Ct)[0];
        AssertClose(TinyEncoderModel.ExpectedVector("drama", "romance"), vector);
    }

    [Fact]
    public void Pooled_output_is_normalised_and_a_dynamic_width_is_learnt_at_load()
    {
        using var encoder = new OnnxTextEncoder(Options("pooled.onnx"));
        Assert.Equal("pooled", encoder.OutputName);
        Assert.Equal(TinyEncoderModel.Hidden, encoder.Dimension);
        AssertClose(TinyEncoderModel.ExpectedVector("comedy", "and", "horror"), encoder.Encode(["comedy and horror"], Ct)[0]);
    }

    [Fact]
    public async Task Concurrent_calls_on_one_encoder_agree_with_sequential_ones()
    {
        using var encoder = new OnnxTextEncoder(Options("bert.onnx", o => o.BatchSize = 2));
        var texts = Enumerable.Range(0, 40).Select(i => string.Join(' ', Enumerable.Repeat(TinyEncoderModel.Vocabulary[5 + i % 9], 1 + i % 5))).ToList();
        var expected = encoder.Encode(texts, Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => encoder.EncodeAsync(texts, Ct), Ct)));

        foreach (var result in results)
            for (var i = 0; i < texts.Count; i++)
                Assert.Equal(expected[i], result[i]);
    }

    [Fact]
    public async Task A_cancelled_call_returns_a_cancelled_task()
    {
        using var encoder = new OnnxTextEncoder(Options("bert.onnx"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var task = encoder.EncodeAsync(["drama"], cts.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public void FromModelStore_loads_a_published_version_with_its_card_settings()
    {
        var store = new ModelStore(_dir.File("models"));
        var card = store.Publish(Card(store, new() { ["dimension"] = "4", ["max_seq_len"] = "4" }), CopyFiles);

        using var encoder = OnnxTextEncoder.FromModelStore(store, card);

        Assert.Equal("encoder-v1", encoder.Version);
        Assert.Equal(4, encoder.Dimension);
        AssertClose(TinyEncoderModel.ExpectedVector("drama", "romance"), encoder.Encode(["drama romance comedy"], Ct)[0]);
    }

    [Fact]
    public void FromModelStore_rejects_a_card_whose_dimension_the_model_does_not_make()
    {
        var store = new ModelStore(_dir.File("models"));
        var card = store.Publish(Card(store, new() { ["dimension"] = "32" }), CopyFiles);
        var error = Assert.Throws<InvalidDataException>(() => OnnxTextEncoder.FromModelStore(store, card));
        Assert.Contains("dimension 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_configured_version_the_version_names_the_model_file_and_its_content()
    {
        using var a = new OnnxTextEncoder(Options("bert.onnx", o => o.Version = null));
        using var b = new OnnxTextEncoder(Options("pooled.onnx", o => o.Version = null));
        Assert.StartsWith("onnx-bert-", a.Version, StringComparison.Ordinal);
        Assert.NotEqual(a.Version[^12..], b.Version[^12..]);
    }

    [Theory]
    [InlineData("ModelPath", "file not found")]
    [InlineData("VocabPath", "file not found")]
    [InlineData("BatchSize", "between")]
    [InlineData("MaxSequenceLength", "between")]
    [InlineData("OutputName", "no output")]
    public void Bad_settings_name_the_configuration_key(string setting, string problem)
    {
        var options = Options("bert.onnx");
        switch (setting)
        {
            case "ModelPath": options.ModelPath = _dir.File("missing.onnx"); break;
            case "VocabPath": options.VocabPath = _dir.File("missing.txt"); break;
            case "BatchSize": options.BatchSize = 0; break;
            case "MaxSequenceLength": options.MaxSequenceLength = 2; break;
            case "OutputName": options.OutputName = "pooler_output"; break;
        }

        var error = Assert.ThrowsAny<Exception>(() => new OnnxTextEncoder(options));

        Assert.True(error is OptionsValidationException or InvalidOperationException, error.GetType().Name);
        Assert.Contains($"TrackRec:Models:Encoder:{setting}", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_lists_every_bad_setting_at_once()
    {
        var problems = OnnxEncoderOptions.Validate(new OnnxEncoderOptions { BatchSize = 0, MaxSequenceLength = 1 });
        Assert.Contains(problems, p => p.StartsWith("TrackRec:Models:Encoder:ModelPath", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TrackRec:Models:Encoder:VocabPath", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TrackRec:Models:Encoder:BatchSize", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TrackRec:Models:Encoder:MaxSequenceLength", StringComparison.Ordinal));
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private OnnxEncoderOptions Options(string model, Action<OnnxEncoderOptions>? change = null)
    {
        var options = new OnnxEncoderOptions { ModelPath = _dir.File(model), VocabPath = _dir.File("vocab.txt"), Version = "test" };
        change?.Invoke(options);
        return options;
    }

    private static ModelCard Card(ModelStore store, Dictionary<string, string> settings) => new()
    {
        Name = "encoder",
        Version = store.NextVersion("encoder"),
        CreatedAt = DateTimeOffset.UnixEpoch,
        TrainingData = new TrainingDataRange("test", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0, 0),
        Settings = settings,
    };

    private void CopyFiles(string directory)
    {
        File.Copy(_dir.File("bert.onnx"), Path.Combine(directory, OnnxTextEncoder.ModelFile));
        File.Copy(_dir.File("vocab.txt"), Path.Combine(directory, OnnxTextEncoder.VocabFile));
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-5, $"element {i}: expected {expected[i]}, got {actual[i]} ([{string.Join(", ", actual)}])");
    }
}
