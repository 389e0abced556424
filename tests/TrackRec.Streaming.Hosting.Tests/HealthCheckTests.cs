using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Hosting.Health;
using TrackRec.Streaming.Models.Llm;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;
using Xunit;
using TrackRec.Streaming.Kafka.Embedded.Registry;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>Liveness (the consume loop turns) and readiness (partitions and models), as checks and over HTTP.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Liveness_is_unhealthy_once_the_loop_heartbeat_is_older_than_the_threshold()
    {
        var clock = new FakeTimeProvider();
        var heartbeat = new ConsumerHeartbeat(clock);
        var check = new ConsumeLoopHealthCheck(heartbeat, Options.Create(new HealthOptions { LivenessThreshold = TimeSpan.FromSeconds(30) }));

        // Before the loop starts (catalog bootstrap), start-up counts as the last turn.
        Assert.Equal(HealthStatus.Healthy, (await Check(check)).Status);
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(HealthStatus.Unhealthy, (await Check(check)).Status);

        heartbeat.Beat();
        Assert.Equal(HealthStatus.Healthy, (await Check(check)).Status);

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HealthStatus.Healthy, (await Check(check)).Status);

        clock.Advance(TimeSpan.FromSeconds(1));
        var stale = await Check(check);
        Assert.Equal(HealthStatus.Unhealthy, stale.Status);
        Assert.Contains("TrackRec:Health:LivenessThreshold", stale.Description, StringComparison.Ordinal);

        heartbeat.Beat();
        Assert.Equal(HealthStatus.Healthy, (await Check(check)).Status);
    }

    [Fact]
    public async Task Readiness_is_unhealthy_before_partitions_are_assigned_and_healthy_once_the_worker_consumes()
    {
        using var cluster = WorkerHarness.StartCluster(partitions: 2);
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: WorkerHarness.Ct);
        await WorkerHarness.ProduceAsync(cluster.BootstrapServers, registry, StreamSimulator.Generate(new SimulatorOptions { Seed = 5, Users = 5, ImpressionsPerUser = 2 }), 0, seed: 5);
        using var host = WorkerHarness.BuildHost(cluster.BootstrapServers, registry, "health", stopAtEnd: false, workerId: "health");
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var before = await health.CheckHealthAsync(c => c.Tags.Contains(HealthTags.Ready), WorkerHarness.Ct);
        Assert.Equal(HealthStatus.Unhealthy, before.Status);
        Assert.Equal(HealthStatus.Unhealthy, before.Entries["partitions"].Status);
        Assert.Equal(HealthStatus.Healthy, before.Entries["models"].Status);

        await host.StartAsync(WorkerHarness.Ct);
        try
        {
            HealthReport? ready = null;
            await WorkerHarness.WaitUntilAsync(
                () => (ready = health.CheckHealthAsync(c => c.Tags.Contains(HealthTags.Ready), WorkerHarness.Ct).GetAwaiter().GetResult()).Status == HealthStatus.Healthy,
                TimeSpan.FromSeconds(20),
                () => $"readiness ({string.Join("; ", ready?.Entries.Select(e => $"{e.Key}: {e.Value.Description}") ?? [])})");
            var live = await health.CheckHealthAsync(c => c.Tags.Contains(HealthTags.Live), WorkerHarness.Ct);
            Assert.Equal(HealthStatus.Healthy, live.Status);
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await host.StopAsync(stop.Token);
        }
    }

    [Fact]
    public async Task Health_and_metrics_endpoints_answer_over_http_on_the_configured_port()
    {
        using var cluster = WorkerHarness.StartCluster(partitions: 2);
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: WorkerHarness.Ct);
        await WorkerHarness.ProduceAsync(cluster.BootstrapServers, registry, StreamSimulator.Generate(new SimulatorOptions { Seed = 6, Users = 5, ImpressionsPerUser = 2 }), 0, seed: 6);
        var port = FreePort();
        using var host = WorkerHarness.BuildHost(
            cluster.BootstrapServers, registry, "health-http", stopAtEnd: false, workerId: "health-http",
            new Dictionary<string, string?> { ["TrackRec:Health:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["TrackRec:Telemetry:Prometheus"] = "true" });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        await host.StartAsync(WorkerHarness.Ct);
        try
        {
            using (var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative), WorkerHarness.Ct))
            {
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                using var body = JsonDocument.Parse(await live.Content.ReadAsStringAsync(WorkerHarness.Ct));
                Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
                Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("consume-loop").GetProperty("status").GetString());
            }

            var status = HttpStatusCode.ServiceUnavailable;
            await WorkerHarness.WaitUntilAsync(
                () =>
                {
                    using var ready = http.GetAsync(new Uri("/health/ready", UriKind.Relative), WorkerHarness.Ct).GetAwaiter().GetResult();
                    status = ready.StatusCode;
                    return status == HttpStatusCode.OK;
                },
                TimeSpan.FromSeconds(20),
                () => $"GET /health/ready to answer 200 (last {(int)status})");

            var counters = host.Services.GetRequiredService<StreamCounters>();
            await WorkerHarness.WaitUntilAsync(() => counters.EventsConsumed > 0, TimeSpan.FromSeconds(20), () => "the worker to consume an event");
            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), WorkerHarness.Ct);
            Assert.Contains("trackrec_events_consumed", metrics, StringComparison.Ordinal);
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await host.StopAsync(stop.Token);
        }
    }

    [Fact]
    public async Task Model_readiness_is_unhealthy_while_the_llm_endpoint_circuit_is_open()
    {
        // A port nothing listens on: every call is a refused connection, which the breaker counts.
        using var backend = LlmBackend.Create(
            new LlmOptions
            {
                Endpoint = $"http://127.0.0.1:{FreePort()}/v1",
                Model = "m",
                MaxRetries = 0,
                CircuitMinimumThroughput = 2,
                CircuitFailureRatio = 0.5,
                CircuitBreakDuration = TimeSpan.FromMinutes(10),
            },
            null,
            new ModelCallCounters());
        var check = new ModelBackendHealthCheck(new GenerationOrchestrator(new GenerationOptions(), new ChainRoles(backend.Generator, backend.Validator, backend.Reflector)));
        Assert.Equal(HealthStatus.Healthy, (await Check(check)).Status);

        var request = new ChainRequest("u1", [], [], 1, DateTimeOffset.UnixEpoch);
        for (var i = 0; i < 3 && !backend.Client.CircuitOpen; i++)
            await Assert.ThrowsAnyAsync<Exception>(() => backend.Generator.SampleAsync(request, 1, WorkerHarness.Ct));

        var open = await Check(check);
        Assert.Equal(HealthStatus.Unhealthy, open.Status);
        Assert.Contains("circuit is open", open.Description, StringComparison.Ordinal);
    }

    private static Task<HealthCheckResult> Check(IHealthCheck check) =>
        check.CheckHealthAsync(new HealthCheckContext { Registration = new HealthCheckRegistration("test", check, null, null) }, WorkerHarness.Ct);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
