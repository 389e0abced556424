using Microsoft.Extensions.Configuration;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Hosting;

/// <summary>Builds the model roles for the configured backend.</summary>
public static class ModelRoleFactory
{
    /// <summary>
    /// The roles: all embedded, or generator/reflection/validator on an LLM endpoint with the embedded encoder
    /// and explorer when the model directory has them. A user-supplied ONNX encoder (TrackRec:Models:Encoder)
    /// replaces either backend's encoder, so a team can serve its own BGE or MiniLM export.
    /// </summary>
    public static ChainRoles Create(ModelOptions options, OnnxEncoderOptions encoder, IConfiguration configuration, ModelCallCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(configuration);
        var store = new ModelStore(options.Directory);
        var roles = options.Backend == ModelBackend.Embedded
            ? EmbeddedModelSet.Load(store, options.Versions)
            : LlmRoles.Create(configuration, counters, EmbeddedModelSet.IsComplete(store, options.Versions) ? EmbeddedModelSet.Load(store, options.Versions) : null);
        return EncoderOptionsValidator.IsConfigured(encoder) ? roles with { Encoder = new OnnxTextEncoder(encoder) } : roles;
    }
}
