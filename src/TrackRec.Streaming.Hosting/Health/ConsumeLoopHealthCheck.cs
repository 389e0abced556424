using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Kafka.Diagnostics;

namespace TrackRec.Streaming.Hosting.Health;

/// <summary>Liveness: the consume loop turned within TrackRec:Health:LivenessThreshold (a hung loop polls nothing and commits nothing).</summary>
internal sealed class ConsumeLoopHealthCheck(ConsumerHeartbeat heartbeat, IOptions<HealthOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var since = heartbeat.SinceLastBeat;
        var threshold = options.Value.LivenessThreshold;
        var limit = $"(TrackRec:Health:LivenessThreshold is {threshold.TotalSeconds:F0}s)";
        var result = (heartbeat.Started, since <= threshold) switch
        {
            (true, true) => HealthCheckResult.Healthy($"the consume loop turned {since.TotalSeconds:F1}s ago"),
            (true, false) => HealthCheckResult.Unhealthy($"the consume loop has not turned for {since.TotalSeconds:F0}s {limit}"),
            (false, true) => HealthCheckResult.Healthy($"the consume loop has not started yet (catalog bootstrap), {since.TotalSeconds:F1}s after start-up"),
            (false, false) => HealthCheckResult.Unhealthy($"the consume loop has not started {since.TotalSeconds:F0}s after start-up {limit}"),
        };
        return Task.FromResult(result);
    }
}
