using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using TrackRec.Streaming.Hosting.Telemetry;

namespace TrackRec.Streaming.Hosting.Health;

/// <summary>
/// Serves /health/live, /health/ready and (optionally) the Prometheus /metrics on TrackRec:Health:Port with a
/// minimal Kestrel app of its own. The worker stays a plain generic host (as the demo and tests build it):
/// this hosted service only borrows the host's health checks, logging and MeterProvider, so there is still
/// one container of services, and port 0 starts no server at all.
/// </summary>
internal sealed class HealthEndpointServer(
    IOptions<HealthOptions> options,
    IOptions<TelemetryOptions> telemetry,
    HealthCheckService health,
    IServiceProvider services,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var port = options.Value.Port;
        if (port == 0)
            return;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port));
        // Probes hit these every few seconds: only Kestrel's warnings and errors reach the worker's logs.
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ForwardingLoggerProvider(loggerFactory));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // The worker's host owns signals and shutdown; this app is stopped by StopAsync, never on its own.
        builder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        var app = builder.Build();
        app.Map("/health/live", live => live.Run(context => WriteAsync(context, HealthTags.Live)));
        app.Map("/health/ready", ready => ready.Run(context => WriteAsync(context, HealthTags.Ready)));
        if (telemetry.Value.Prometheus)
            app.UseOpenTelemetryPrometheusScrapingEndpoint(services.GetRequiredService<MeterProvider>(), null, "/metrics", null, null);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        loggerFactory.CreateLogger<HealthEndpointServer>().LogInformation(
            "Serving /health/live, /health/ready{Metrics} on port {Port}", telemetry.Value.Prometheus ? " and /metrics" : "", port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync().ConfigureAwait(false);
    }

    // 200 for Healthy and Degraded, 503 for Unhealthy (what load balancers and Kubernetes probes act on),
    // with each check's description so an operator sees why.
    private async Task WriteAsync(HttpContext context, string tag)
    {
        var report = await health.CheckHealthAsync(check => check.Tags.Contains(tag), context.RequestAborted).ConfigureAwait(false);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        var body = new Dictionary<string, object?>
        {
            ["status"] = report.Status.ToString(),
            ["checks"] = report.Entries.ToDictionary(e => e.Key, e => new Dictionary<string, string?>
            {
                ["status"] = e.Value.Status.ToString(),
                ["description"] = e.Value.Description,
            }),
        };
        await JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }

    private sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class OwnedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
