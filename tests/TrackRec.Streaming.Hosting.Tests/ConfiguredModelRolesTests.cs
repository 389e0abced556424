using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Hosting.Roles;
using TrackRec.Streaming.Models.Onnx;
using Xunit;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>Roles from TrackRec:Models: a reload makes new roles but keeps the one LLM client, whose budget and circuit belong to the endpoint.</summary>
public sealed class ConfiguredModelRolesTests
{
    [Fact]
    public void Every_load_serves_new_roles_on_the_same_llm_client()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            // The LLM backend builds its roles without calling the endpoint, so no server is needed here.
            ["TrackRec:Models:Llm:Endpoint"] = "http://127.0.0.1:9/v1",
            ["TrackRec:Models:Llm:Model"] = "test-model",
        }).Build();
        var options = Options.Create(new ModelOptions { Directory = Path.Combine(Path.GetTempPath(), "trackrec-no-models-" + Guid.NewGuid().ToString("N")), Backend = ModelBackend.Llm });
        var provider = new ConfiguredModelRoles(options, Options.Create(new OnnxEncoderOptions()), configuration, new ModelCallCounters());

        var first = provider.Load();
        var second = provider.Load();

        Assert.NotSame(first, second);
        var client = LlmRoles.ClientOf(first);
        Assert.NotNull(client);
        Assert.Same(client, LlmRoles.ClientOf(second));
        provider.Dispose();
    }
}
