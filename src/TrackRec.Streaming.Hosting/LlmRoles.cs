using Microsoft.Extensions.Configuration;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Llm;

namespace TrackRec.Streaming.Hosting;

/// <summary>The LLM endpoint's backend, bound from TrackRec:Models:Llm.</summary>
public static class LlmRoles
{
    /// <summary>Binds and validates TrackRec:Models:Llm and builds the roles on one shared client.</summary>
    public static LlmBackend CreateBackend(IConfiguration configuration, ModelCallCounters counters)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(LlmOptions.Section).Get<LlmOptions>() ?? new LlmOptions();
        LlmOptions.ThrowIfInvalid(options);
        return LlmBackend.Create(options, null, counters);
    }

    /// <summary>The LLM client behind <paramref name="roles"/>, when any of its calling roles is on an endpoint.</summary>
    public static OpenAiCompatibleClient? ClientOf(ChainRoles roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return roles.Generator switch
        {
            LlmChainGenerator g => g.Client,
            _ => roles.Validator is LlmChainValidator v ? v.Client : roles.ImpressionScorer is LlmChainValidator s ? s.Client : null,
        };
    }
}
