using Microsoft.Extensions.Diagnostics.HealthChecks;
using TrackRec.Streaming.Kafka.Consuming;

namespace TrackRec.Streaming.Hosting.Health;

/// <summary>
/// Readiness: the group gave this worker partitions. A member without any (more workers than partitions)
/// is reported not ready too, which is what a rollout wants to see before it moves on.
/// </summary>
internal sealed class PartitionsAssignedHealthCheck(StreamConsumer consumer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var owned = consumer.OwnedPartitions;
        return Task.FromResult(owned.Count > 0
            ? HealthCheckResult.Healthy($"owns partitions [{string.Join(",", owned)}]")
            : HealthCheckResult.Unhealthy("no partitions assigned yet"));
    }
}
