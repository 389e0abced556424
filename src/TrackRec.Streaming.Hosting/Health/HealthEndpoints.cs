using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TrackRec.Streaming.Hosting.Health;

/// <summary>/health/live, /health/ready and (when TrackRec:Telemetry:Prometheus) /metrics, mapped on the worker's own host.</summary>
internal static class HealthEndpoints
{
    public static void MapTrackRecEndpoints(this WebApplication app, bool prometheus)
    {
        app.MapHealthChecks("/health/live", For(HealthTags.Live));
        app.MapHealthChecks("/health/ready", For(HealthTags.Ready));
        if (prometheus)
            app.MapPrometheusScrapingEndpoint("/metrics");
    }

    // 200 for Healthy and Degraded, 503 for Unhealthy (what load balancers and Kubernetes probes act on), with each
    // check's description so an operator sees why; the responses are never cached.
    private static HealthCheckOptions For(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = WriteAsync,
    };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new Dictionary<string, string?>
            {
                ["status"] = e.Value.Status.ToString(),
                ["description"] = e.Value.Description,
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
