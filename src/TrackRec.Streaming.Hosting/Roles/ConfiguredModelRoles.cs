using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Llm;
using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Hosting.Roles;

/// <summary>
/// The roles TrackRec:Models configures, each from its backend (<see cref="ModelRoleFactory.Compose"/>), the embedded ones
/// as current in the model directory at each load. The LLM endpoint's client is made once and kept across reloads: its
/// request budget and circuit describe the endpoint, not a model version, and a client per reload would leak.
/// </summary>
public sealed class ConfiguredModelRoles(
    IOptions<ModelOptions> options,
    IOptions<OnnxEncoderOptions> encoder,
    IConfiguration configuration,
    ModelCallCounters counters) : IModelRoleProvider, IDisposable
{
    private readonly Lazy<LlmBackend?> _llm = new(() => options.Value.UsesLlm ? LlmRoles.CreateBackend(configuration, counters) : null);

    /// <inheritdoc />
    public bool FromConfiguration => true;

    /// <inheritdoc />
    public ChainRoles Load()
    {
        // The MiniLM session is one per process (MiniLmEncoderFiles.Shared); the worker's configuration sizes its cache,
        // here where configuration is read rather than inside the loader.
        MiniLmEncoderFiles.SharedCacheCapacity = options.Value.EncoderCacheTexts;
        return ModelRoleFactory.Compose(options.Value, ModelRoleFactory.LoadEmbedded(options.Value), _llm.Value, encoder.Value);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_llm.IsValueCreated)
            _llm.Value?.Dispose();
    }
}
