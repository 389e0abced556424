using Microsoft.Extensions.Configuration;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Hosting;

/// <summary>Builds the model roles for the configured backend.</summary>
public static class ModelRoleFactory
{
    /// <summary>The roles: all embedded, or generator/reflection/validator on an LLM endpoint with the embedded encoder and explorer when the model directory has them.</summary>
    public static ChainRoles Create(ModelOptions options, IConfiguration configuration, ModelCallCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var store = new ModelStore(options.Directory);
        if (options.Backend == ModelBackend.Embedded)
            return EmbeddedModelSet.Load(store, options.Versions);
        return LlmRoles.Create(configuration, counters, EmbeddedModelSet.IsComplete(store, options.Versions) ? EmbeddedModelSet.Load(store, options.Versions) : null);
    }
}
