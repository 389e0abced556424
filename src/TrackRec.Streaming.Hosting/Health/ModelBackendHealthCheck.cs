using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Llm;

namespace TrackRec.Streaming.Hosting.Health;

/// <summary>
/// Readiness: the model roles can answer. Embedded roles are in-process, so loaded is reachable (they are
/// loaded when the worker is built, and a missing model stops start-up). For an LLM endpoint the circuit
/// breaker already samples every real call, so an open circuit is the cheap signal; no extra request is sent.
/// </summary>
internal sealed class ModelBackendHealthCheck(GenerationOrchestrator writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var roles = writer.Roles; // the set serving now, reloaded versions included
        if (roles.Generator is LlmChainGenerator { Client: var client })
        {
            return Task.FromResult(client.CircuitOpen
                ? HealthCheckResult.Unhealthy($"the LLM endpoint's circuit is open ({client.Options.Endpoint}): recent calls failed")
                : HealthCheckResult.Healthy($"LLM endpoint {client.Options.Endpoint}, circuit closed"));
        }
        return Task.FromResult(HealthCheckResult.Healthy($"models loaded (generator {roles.Generator.Version})"));
    }
}
