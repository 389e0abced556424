using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;
using Xunit;
using TrackRec.Streaming.Kafka.Embedded.Registry;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>The worker host against the embedded (librdkafka mock) cluster.</summary>
public sealed class WorkerEndToEndTests
{
    [Fact]
    public async Task Bounded_run_emits_one_feature_and_outcome_per_impression_and_one_dead_letter_per_malformed_record()
    {
        using var cluster = WorkerHarness.StartCluster(partitions: 3);
        await EndToEndScenario.RunAsync(cluster.BootstrapServers, "e2e");
    }

    [Fact]
    public async Task Bounded_run_against_a_registry_that_requires_basic_auth_set_through_configuration()
    {
        using var cluster = WorkerHarness.StartCluster(partitions: 3);
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(
            new EmbeddedSchemaRegistryOptions { BasicAuthUserInfo = "worker:pa55" }, WorkerHarness.Ct);

        await EndToEndScenario.RunAsync(cluster.BootstrapServers, "e2e-auth", registry.Url, new Dictionary<string, string>
        {
            ["basic.auth.credentials.source"] = "USER_INFO",
            ["basic.auth.user.info"] = "worker:pa55",
        });

        // The worker registered its output schemas through the authenticated client.
        Assert.Contains(registry.Store.Subjects(), s => s == WorkerHarness.Topics.Features + "-value");
    }

    // Both lane modes lose nothing. The bound on re-reading is checked in deterministic mode, whose commits follow
    // the input alone; in live mode training records scored off the path may still sit in the open batch when the
    // worker stops, holding their impressions' offsets (at least once: they are redone, not lost).
    [Theory]
    [InlineData("00:00:00", "Deterministic")]          // no warm-up: resume at the committed offsets with empty state
    [InlineData("1.00:00:00", "Deterministic")]        // a window: offsets-for-times (the mock cluster answers -1, so the committed offsets)
    [InlineData("36500.00:00:00", "Deterministic")]    // from the start of retention: everything is re-read, outputs resume at the commits
    [InlineData("00:00:00", "Live")]
    [InlineData("36500.00:00:00", "Live")]
    public async Task Restarted_worker_resumes_from_committed_offsets_without_losing_impressions(string warmup, string lanes)
    {
        var settings = new Dictionary<string, string?> { ["TrackRec:Worker:StateWarmup"] = warmup, ["TrackRec:Pipeline:Lanes:Mode"] = lanes };
        using var cluster = WorkerHarness.StartCluster(partitions: 3);
        var bootstrap = cluster.BootstrapServers;
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: WorkerHarness.Ct);
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 21, Users = 30, ImpressionsPerUser = 10 });
        var half = stream.Events.Count / 2;
        var firstHalf = new EventStream(stream.Items, stream.Events.Take(half));
        var secondHalf = new EventStream([], stream.Events.Skip(half));
        var firstImpressions = firstHalf.Events.OfType<Impression>().Count();
        var allIds = stream.Events.OfType<Impression>().Select(i => i.ImpressionId).ToHashSet();

        await WorkerHarness.ProduceAsync(bootstrap, registry, firstHalf, 0, seed: 1);
        long firstConsumed;
        using (var first = WorkerHarness.BuildHost(bootstrap, registry, "restart", stopAtEnd: false, workerId: "first", settings))
        {
            await first.StartAsync(WorkerHarness.Ct);
            var counters = first.Services.GetRequiredService<StreamCounters>();
            await WorkerHarness.WaitUntilAsync(
                () => counters.FeaturesEmitted >= firstImpressions && counters.EventsConsumed >= firstHalf.Events.Count,
                TimeSpan.FromSeconds(20),
                () => $"features for the first half ({counters.FeaturesEmitted}/{firstImpressions} features, {counters.EventsConsumed}/{firstHalf.Events.Count} consumed)");
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await first.StopAsync(stop.Token);
            var worker = first.Services.GetRequiredService<StreamWorker>();
            Assert.True(worker.Finished.IsCompletedSuccessfully, $"first worker did not stop cleanly: {worker.Finished.Status} {worker.Finished.Exception?.GetBaseException()}");
            firstConsumed = counters.EventsConsumed;
        }

        await WorkerHarness.ProduceAsync(bootstrap, registry, secondHalf, 0, seed: 2);
        long secondConsumed;
        using (var second = WorkerHarness.BuildHost(bootstrap, registry, "restart", stopAtEnd: true, workerId: "second", settings))
        {
            await WorkerHarness.RunBoundedAsync(second, TimeSpan.FromSeconds(30));
            secondConsumed = second.Services.GetRequiredService<StreamCounters>().EventsConsumed;
        }

        var keys = WorkerHarness.ReadTopic(bootstrap, WorkerHarness.Topics.Features).Select(WorkerHarness.KeyOf).ToHashSet();
        var missing = allIds.Except(keys).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} impressions have no feature after the restart, e.g. {string.Join(", ", missing.Take(10))}");
        Assert.Empty(keys.Except(allIds));

        TestContext.Current.TestOutputHelper?.WriteLine($"total events {stream.Events.Count}, first half {firstHalf.Events.Count}; consumed: first run {firstConsumed}, second run {secondConsumed}");
        Assert.True(secondConsumed >= secondHalf.Events.Count, $"the second run consumed {secondConsumed} < second half {secondHalf.Events.Count}");
        // Committed offsets were used: without a warm-up reaching back, the second run skipped at least half of
        // what the first run did; with one, it re-read it all and emitted only from the commits (no key is missing
        // or foreign either way, checked above).
        var fromBeginning = TimeSpan.Parse(warmup, System.Globalization.CultureInfo.InvariantCulture) >= Kafka.Configuration.WorkerOptions.RebuildFromBeginning;
        Assert.True(
            fromBeginning ? secondConsumed == stream.Events.Count
                // At least a quarter of the first half was committed and not read again (half, usually; the first run's
                // last commit races its stop on a loaded machine).
                : lanes == "Deterministic" ? secondConsumed <= stream.Events.Count - firstHalf.Events.Count / 4
                : secondConsumed < stream.Events.Count,
            $"the second run consumed {secondConsumed} of {stream.Events.Count} events: it re-processed most of the first half ({firstHalf.Events.Count})");
    }

    [Fact]
    public async Task Cooperative_rebalance_to_a_second_worker_mid_stream_loses_no_impression()
    {
        using var cluster = WorkerHarness.StartCluster(partitions: 4);
        var bootstrap = cluster.BootstrapServers;
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: WorkerHarness.Ct);
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 31, Users = 40, ImpressionsPerUser = 10 });
        // Half before the first worker starts, a quarter while the second joins, the rest once it owns partitions:
        // the worker is faster than the mock's rebalance, so this is what keeps both of them busy.
        var events = stream.Events;
        var firstHalf = new EventStream(stream.Items, events.Take(events.Count / 2));
        var thirdQuarter = new EventStream([], events.Skip(events.Count / 2).Take(events.Count / 4));
        var lastQuarter = new EventStream([], events.Skip(events.Count / 2 + events.Count / 4));
        var allIds = events.OfType<Impression>().Select(i => i.ImpressionId).ToHashSet();

        await WorkerHarness.ProduceAsync(bootstrap, registry, firstHalf, 0, seed: 1);
        using var a = WorkerHarness.BuildHost(bootstrap, registry, "rebalance", stopAtEnd: false, workerId: "a");
        using var b = WorkerHarness.BuildHost(bootstrap, registry, "rebalance", stopAtEnd: false, workerId: "b");
        var consumerA = a.Services.GetRequiredService<StreamConsumer>();
        var consumerB = b.Services.GetRequiredService<StreamConsumer>();
        var countersA = a.Services.GetRequiredService<StreamCounters>();
        var countersB = b.Services.GetRequiredService<StreamCounters>();
        var ownedA = new HashSet<int>();
        var ownedB = new HashSet<int>();
        void Sample()
        {
            ownedA.UnionWith(consumerA.OwnedPartitions);
            ownedB.UnionWith(consumerB.OwnedPartitions);
        }

        try
        {
            await a.StartAsync(WorkerHarness.Ct);
            await WorkerHarness.WaitUntilAsync(
                () => { Sample(); return consumerA.OwnedPartitions.Count == 4 && countersA.FeaturesEmitted > 0; },
                TimeSpan.FromSeconds(15),
                () => $"worker a to own all 4 partitions and emit features (owns [{string.Join(",", consumerA.OwnedPartitions)}], {countersA.FeaturesEmitted} features)");

            // Mid-stream: the second worker joins (cooperative rebalance) while the rest of the stream arrives.
            await b.StartAsync(WorkerHarness.Ct);
            await WorkerHarness.ProduceAsync(bootstrap, registry, thirdQuarter, 0, seed: 2);
            // A generous guard: on a loaded 2-core machine a cooperative rebalance has been seen to take 15 s.
            await WorkerHarness.WaitUntilAsync(
                () => { Sample(); return consumerB.OwnedPartitions.Count > 0; },
                TimeSpan.FromSeconds(45),
                () => $"worker b to be assigned partitions (a owns [{string.Join(",", consumerA.OwnedPartitions)}])");
            await WorkerHarness.ProduceAsync(bootstrap, registry, lastQuarter, 0, seed: 3);

            HashSet<string> keys = [];
            await WorkerHarness.WaitUntilAsync(
                () =>
                {
                    Sample();
                    if (countersB.FeaturesEmitted == 0 || countersA.FeaturesEmitted + countersB.FeaturesEmitted < allIds.Count)
                        return false;
                    keys = WorkerHarness.ReadTopic(bootstrap, WorkerHarness.Topics.Features).Select(WorkerHarness.KeyOf).ToHashSet();
                    return allIds.IsSubsetOf(keys);
                },
                TimeSpan.FromSeconds(20),
                () => $"features for all {allIds.Count} impressions (a {countersA.FeaturesEmitted}, b {countersB.FeaturesEmitted} emitted; "
                    + $"{allIds.Except(keys).Count()} missing from the topic; a owns [{string.Join(",", consumerA.OwnedPartitions)}], b owns [{string.Join(",", consumerB.OwnedPartitions)}])");
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await Task.WhenAll(a.StopAsync(stop.Token), b.StopAsync(stop.Token));
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"a owned [{string.Join(",", ownedA.Order())}] consumed {countersA.EventsConsumed} features {countersA.FeaturesEmitted}; "
            + $"b owned [{string.Join(",", ownedB.Order())}] consumed {countersB.EventsConsumed} features {countersB.FeaturesEmitted}; impressions {allIds.Count}");
        foreach (var (name, host) in new[] { ("a", a), ("b", b) })
        {
            var finished = host.Services.GetRequiredService<StreamWorker>().Finished;
            Assert.True(finished.IsCompletedSuccessfully, $"worker {name} did not stop cleanly: {finished.Status} {finished.Exception?.GetBaseException()}");
        }
        var final = WorkerHarness.ReadTopic(bootstrap, WorkerHarness.Topics.Features).Select(WorkerHarness.KeyOf).ToHashSet();
        var missing = allIds.Except(final).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} impressions have no feature, e.g. {string.Join(", ", missing.Take(10))}");
        Assert.NotEmpty(ownedA);
        Assert.NotEmpty(ownedB);
        Assert.True(countersA.EventsConsumed > 0 && countersB.EventsConsumed > 0, $"both workers should consume (a {countersA.EventsConsumed}, b {countersB.EventsConsumed})");
    }
}
