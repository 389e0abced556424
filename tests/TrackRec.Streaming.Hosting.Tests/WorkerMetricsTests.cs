using Microsoft.Extensions.DependencyInjection;
using TrackRec.Streaming.Diagnostics;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Inputs;
using Xunit;
using TrackRec.Streaming.Kafka.Embedded.Registry;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>The "TrackRec.Streaming" instruments move with a stream run on the embedded cluster, seen through an in-process listener.</summary>
public sealed class WorkerMetricsTests
{
    [Fact]
    public async Task Instruments_count_what_the_bounded_run_consumed_emitted_and_dead_lettered()
    {
        using var cluster = WorkerHarness.StartCluster(partitions: 2);
        var bootstrap = cluster.BootstrapServers;
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: WorkerHarness.Ct);
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 11, Users = 20, ImpressionsPerUser = 6 });
        var impressions = stream.Events.OfType<Impression>().Count();
        var malformed = await WorkerHarness.ProduceAsync(bootstrap, registry, stream, malformedShare: 0.05, seed: 11);
        Assert.True(malformed > 0, "the seed should inject some malformed records");

        using var host = WorkerHarness.BuildHost(bootstrap, registry, "metrics", stopAtEnd: true, workerId: "metrics");
        using var capture = new MeterCapture(host.Services.GetRequiredService<StreamMetrics>().Meter);
        await WorkerHarness.RunBoundedAsync(host, TimeSpan.FromSeconds(30));

        // Events consumed by topic: exactly what each input topic holds (valid and malformed records alike).
        var consumed = capture.SumBy("trackrec.events.consumed", "topic");
        foreach (var topic in WorkerHarness.Topics.BehaviourInputs)
            Assert.Equal(WorkerHarness.ReadTopic(bootstrap, topic).Count, consumed.GetValueOrDefault(topic));
        Assert.Equal(host.Services.GetRequiredService<StreamCounters>().EventsConsumed, consumed.Values.Sum());

        // One feature per impression, each with a latency sample tagged by where its chain came from.
        Assert.Equal(impressions, capture.Of("trackrec.features.emitted").Sum(m => m.Value));
        var latencies = capture.Of("trackrec.feature.latency");
        Assert.Equal(impressions, latencies.Count);
        Assert.All(latencies, m => Assert.Contains(m.Tag("chain"), new[] { "fresh", "cached", "stale", "none", "degraded" }));
        Assert.All(latencies, m => Assert.True(m.Value >= 0));

        // Dead letters by error class: the classes the dead-letter topic's headers name, as often.
        var letters = WorkerHarness.ReadTopic(bootstrap, WorkerHarness.Topics.DeadLetters)
            .GroupBy(r => System.Text.Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(DeadLetterHeaders.ErrorClass)))
            .ToDictionary(g => g.Key, g => (double)g.Count());
        Assert.Equal(malformed, letters.Values.Sum());
        Assert.Equal(letters.OrderBy(l => l.Key), capture.SumBy("trackrec.dead_letters", "error_class").OrderBy(l => l.Key));

        // Chain kinds agree with the pipeline's own counters, and every generation timed its generator calls.
        var pipeline = host.Services.GetRequiredService<PipelineCounters>();
        var kinds = capture.SumBy("trackrec.chain.generations", "kind");
        Assert.Equal(pipeline.Generations, kinds.GetValueOrDefault("fresh"));
        Assert.Equal(pipeline.ChainCacheHits, kinds.GetValueOrDefault("cached"));
        Assert.Equal(pipeline.ChainsRefined, kinds.GetValueOrDefault("refined"));
        Assert.Equal(pipeline.DegradedFeatures, kinds.GetValueOrDefault("degraded"));
        Assert.True(pipeline.Generations > 0);
        var roles = capture.SumBy("trackrec.model.latency", "role");
        Assert.True(capture.Of("trackrec.model.latency").Count(m => m.Tag("role") == "generator") >= pipeline.Generations);
        Assert.Contains("scorer", roles.Keys); // every served feature's score (the validator, unless a scorer is set)
    }

    [Fact]
    public async Task Consumer_lag_gauge_reports_input_partitions_from_librdkafka_statistics()
    {
        using var cluster = WorkerHarness.StartCluster(partitions: 2);
        var bootstrap = cluster.BootstrapServers;
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: WorkerHarness.Ct);
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 12, Users = 10, ImpressionsPerUser = 4 });
        await WorkerHarness.ProduceAsync(bootstrap, registry, stream, malformedShare: 0, seed: 12);

        using var host = WorkerHarness.BuildHost(
            bootstrap, registry, "lag", stopAtEnd: false, workerId: "lag",
            new Dictionary<string, string?> { ["TrackRec:Kafka:StatisticsInterval"] = "00:00:00.100" });
        using var capture = new MeterCapture(host.Services.GetRequiredService<StreamMetrics>().Meter);
        await host.StartAsync(WorkerHarness.Ct);
        try
        {
            // Lag is known once offsets are committed; clicks are committed as soon as they are processed.
            await WorkerHarness.WaitUntilAsync(
                () =>
                {
                    capture.Observe();
                    return capture.Of("trackrec.consumer.lag").Any(m => m.Tag("topic") == WorkerHarness.Topics.Clicks);
                },
                TimeSpan.FromSeconds(20),
                () => "a consumer-lag measurement for the clicks topic");
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await host.StopAsync(stop.Token);
        }

        var lags = capture.Of("trackrec.consumer.lag");
        Assert.All(lags, m => Assert.Contains(m.Tag("topic"), WorkerHarness.Topics.BehaviourInputs));
        Assert.All(lags, m => Assert.Contains(m.Tag("partition"), new[] { "0", "1" }));
        Assert.All(lags, m => Assert.True(m.Value >= 0));
    }
}
