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

    /// <summary>
    /// The endpoint's generator, reflection and validator with <paramref name="embedded"/>'s encoder and explorer (the
    /// endpoint's encoder when it has an embedding model): what `eval --generator llm` serves its chain features with.
    /// </summary>
    public static ChainRoles Create(IConfiguration configuration, ModelCallCounters counters, ChainRoles? embedded)
    {
        var backend = CreateBackend(configuration, counters);
        return new ChainRoles(backend.Generator, backend.Validator, backend.Reflector, embedded?.Explorer, (IChainEncoder?)backend.Encoder ?? embedded?.Encoder);
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
