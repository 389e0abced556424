using Microsoft.Extensions.Configuration;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Llm;

namespace TrackRec.Streaming.Hosting;

/// <summary>The LLM endpoint's roles, with the embedded encoder and explorer when the model directory has them.</summary>
public static class LlmRoles
{
    /// <summary>Binds and validates TrackRec:Models:Llm and builds the roles on one shared client.</summary>
    public static ChainRoles Create(IConfiguration configuration, ModelCallCounters counters, ChainRoles? embedded)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(LlmOptions.Section).Get<LlmOptions>() ?? new LlmOptions();
        LlmOptions.ThrowIfInvalid(options);
        var backend = LlmBackend.Create(options, null, counters);
        return new ChainRoles(backend.Generator, backend.Validator, backend.Reflector, embedded?.Explorer, (IChainEncoder?)backend.Encoder ?? embedded?.Encoder);
    }
}
