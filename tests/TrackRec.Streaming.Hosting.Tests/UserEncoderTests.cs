using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Hosting.Roles;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Tests.Onnx;
using Xunit;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>A user-supplied ONNX sentence encoder (TrackRec:Models:Encoder) replaces the backend's encoder, and a bad path stops start-up.</summary>
public sealed class UserEncoderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Configured_onnx_encoder_serves_the_encoder_role_with_its_own_version()
    {
        TinyEncoderModel.WritePooledModel(_dir.File("model.onnx"));
        TinyEncoderModel.WriteVocabulary(_dir.File("vocab.txt"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The LLM backend builds its roles without calling the endpoint, so no server is needed here.
            ["TrackRec:Models:Llm:Endpoint"] = "http://127.0.0.1:9/v1",
            ["TrackRec:Models:Llm:Model"] = "test-model",
        }).Build();
        var encoder = new OnnxEncoderOptions { ModelPath = _dir.File("model.onnx"), VocabPath = _dir.File("vocab.txt"), Version = "minilm-test-1" };

        using var provider = new ConfiguredModelRoles(
            Options.Create(new ModelOptions { Directory = _dir.File("no-models"), Backend = ModelBackend.Llm }), Options.Create(encoder), configuration, new ModelCallCounters());
        var roles = provider.Load();

        Assert.IsType<OnnxTextEncoder>(roles.Encoder);
        Assert.Equal("minilm-test-1", roles.Versions.Encoder);
        Assert.Equal(TinyEncoderModel.Hidden, roles.Encoder.Dimension);
        var vectors = await roles.Encoder.EncodeAsync(["likes drama"], TestContext.Current.CancellationToken);
        var expected = TinyEncoderModel.ExpectedVector("likes", "drama");
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], vectors[0][i], 4);
    }

    [Fact]
    public async Task Missing_encoder_file_fails_start_naming_the_key()
    {
        using var host = WorkerHarness.BuildHost(
            "localhost:1", (Uri?)null, "validation", stopAtEnd: true, workerId: "validation",
            new Dictionary<string, string?> { ["TrackRec:Models:Encoder:ModelPath"] = _dir.File("absent.onnx") });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(WorkerHarness.Ct));

        Assert.Contains("TrackRec:Models:Encoder:ModelPath: file not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TrackRec:Models:Encoder:VocabPath is required", ex.Message, StringComparison.Ordinal);
    }
}
