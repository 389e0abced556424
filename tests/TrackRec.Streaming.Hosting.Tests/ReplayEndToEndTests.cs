using System.Text;
using Confluent.Kafka;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Replay;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;
using Xunit;
using TrackRec.Streaming.Kafka.Embedded.Registry;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>
/// Replays on the embedded cluster after a live (bounded) worker has processed and committed the whole
/// stream: each replay must write exactly the keys of its range to the sandbox topics, stamped with its
/// headers, leave the live group's committed offsets as they were, and rewrite the same keys when re-run.
/// Every wait is on the bounded job's own completion.
/// </summary>
public sealed class ReplayEndToEndTests : IDisposable
{
    private const int Partitions = 3;
    private const string LiveGroup = "live";
    private readonly EmbeddedKafkaCluster _cluster = WorkerHarness.StartCluster(Partitions);
    private readonly EmbeddedSchemaRegistry _registry = EmbeddedSchemaRegistry.Start();
    private readonly EventStream _stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 11, Users = 30, ImpressionsPerUser = 10 });

    // Shared by every run of a test, so a re-run's training batches land where the first run's did.
    private readonly string _batches = Directory.CreateTempSubdirectory("trackrec-replay-batches-").FullName;

    public void Dispose()
    {
        _cluster.Dispose();
        _registry.Dispose();
        Directory.Delete(_batches, recursive: true);
    }

    private string Bootstrap => _cluster.BootstrapServers;

    private KafkaOptions Kafka => new() { BootstrapServers = Bootstrap, GroupId = LiveGroup };

    private static TopicOptions Sandbox => Targets(new TopicOptions());

    [Fact]
    public async Task Time_range_replay_writes_exactly_the_range_to_sandbox_topics_and_leaves_the_live_group_alone()
    {
        await ProduceAndRunLiveAsync();
        var impressions = _stream.Events.OfType<Impression>().OrderBy(i => i.EventTime).ToList();
        // Kafka timestamps are milliseconds: the range and the expectation are both taken at that precision.
        var from = Millis(impressions[impressions.Count * 2 / 5].EventTime);
        var to = Millis(impressions[impressions.Count * 7 / 10].EventTime);
        var expected = impressions.Where(i => Millis(i.EventTime) >= from && Millis(i.EventTime) < to).Select(i => i.ImpressionId).ToHashSet();
        var before = Committed(LiveGroup);
        Assert.Contains(before, c => !c.Offset.IsSpecial);

        // A warm-up long enough to cover everything before the range: none of it may produce an output.
        var plan = Plan(new ReplayRequest
        {
            JobId = "time-1",
            Selection = new TimeRangeSelection(from, to),
            Warmup = TimeSpan.FromDays(365),
            EngagementTail = TimeSpan.FromMinutes(35),
        });
        Assert.True(plan.Ranges.Sum(r => r.WarmupCount) > 0, "the warm-up should read records before the range");
        Assert.Equal(expected.Count, plan.Ranges.Where(r => r.Topic == WorkerHarness.Topics.Impressions).Sum(r => r.Count));
        await RunReplayAsync(plan);

        var features = WorkerHarness.ReadTopic(Bootstrap, Sandbox.Features);
        AssertKeys(expected, features, "features");
        AssertKeys(expected, WorkerHarness.ReadTopic(Bootstrap, Sandbox.Outcomes), "outcomes");
        AssertStamped(plan, features.Concat(WorkerHarness.ReadTopic(Bootstrap, Sandbox.UserChains)));
        Assert.NotEmpty(WorkerHarness.ReadTopic(Bootstrap, Sandbox.UserChains));

        // The live output is untouched, and so are the live group's offsets; the replay committed nothing.
        Assert.Equal(impressions.Count, WorkerHarness.ReadTopic(Bootstrap, WorkerHarness.Topics.Features).Count);
        Assert.Equal(Describe(before), Describe(Committed(LiveGroup)));
        Assert.All(Committed(plan.GroupId), c => Assert.True(c.Offset.IsSpecial, $"the replay committed {c}"));
    }

    [Fact]
    public async Task Offset_range_replay_writes_exactly_the_impressions_at_those_offsets_and_is_idempotent()
    {
        await ProduceAndRunLiveAsync();
        var serdes = new StreamSerdes(_registry.Client, WorkerHarness.Topics);
        var idAt = new Dictionary<(int Partition, long Offset), string>();
        foreach (var record in WorkerHarness.ReadTopic(Bootstrap, WorkerHarness.Topics.Impressions))
        {
            var impression = (Impression)await serdes.DecodeBehaviourAsync(0, record.Message.Value, WorkerHarness.Ct);
            idAt[(record.Partition.Value, record.Offset.Value)] = impression.ImpressionId;
        }
        // The middle third of each impressions partition, with all of its clicks and comments so labels see them.
        var specs = new List<OffsetRangeSpec>();
        var expected = new HashSet<string>();
        for (var p = 0; p < Partitions; p++)
        {
            var high = idAt.Keys.Where(k => k.Partition == p).Max(k => k.Offset) + 1;
            var (start, end) = (high / 3, high * 2 / 3);
            specs.Add(new OffsetRangeSpec("impressions", p, start, end));
            expected.UnionWith(idAt.Where(kv => kv.Key.Partition == p && kv.Key.Offset >= start && kv.Key.Offset < end).Select(kv => kv.Value));
            foreach (var topic in new[] { "clicks", "comments" })
                specs.Add(new OffsetRangeSpec(topic, p, 0, High(topic == "clicks" ? WorkerHarness.Topics.Clicks : WorkerHarness.Topics.Comments, p)));
        }
        var before = Committed(LiveGroup);
        var request = new ReplayRequest { JobId = "offsets-1", Selection = new OffsetSelection(specs), Warmup = TimeSpan.FromHours(6) };

        var plan = Plan(request);
        await RunReplayAsync(plan);
        var first = WorkerHarness.ReadTopic(Bootstrap, Sandbox.Features);
        AssertKeys(expected, first, "features");
        AssertKeys(expected, WorkerHarness.ReadTopic(Bootstrap, Sandbox.Outcomes), "outcomes");
        AssertStamped(plan, first);
        var batches = await ReplayBatchesAsync(plan);

        // The same job again: the same plan, the same keys (each written once more), no new key.
        var again = Plan(request);
        Assert.Equal(plan.RangeHeader, again.RangeHeader);
        await RunReplayAsync(again);
        var second = WorkerHarness.ReadTopic(Bootstrap, Sandbox.Features);
        Assert.Equal(2 * first.Count, second.Count);
        Assert.Equal(first.Select(WorkerHarness.KeyOf).ToHashSet().Order(), second.Select(WorkerHarness.KeyOf).ToHashSet().Order());
        Assert.Equal(Describe(before), Describe(Committed(LiveGroup)));
        Assert.Equal(batches, await ReplayBatchesAsync(plan)); // the same batch ids, rewritten
    }

    // A replay's training batches go to the batch directory's replay/JOB, each manifest naming the job and range,
    // and are announced on the sandbox manifest topic; the live worker's batches are not among them.
    private async Task<List<string>> ReplayBatchesAsync(ReplayPlan plan)
    {
        var reader = new Feedback.BatchReader(new Feedback.LocalDirectoryBatchStore(Path.Combine(_batches, "replay", plan.JobId)));
        var manifests = await reader.ManifestsAsync(WorkerHarness.Ct);
        Assert.NotEmpty(manifests);
        Assert.All(manifests, m => Assert.Equal(new Feedback.ReplayProvenance(plan.JobId, plan.RangeHeader), m.Replay));
        var live = await new Feedback.BatchReader(new Feedback.LocalDirectoryBatchStore(_batches)).ManifestsAsync(WorkerHarness.Ct);
        Assert.All(live, m => Assert.Null(m.Replay));
        Assert.Empty(live.Select(m => m.BatchId).Intersect(manifests.Select(m => m.BatchId)));
        var manifestRecords = WorkerHarness.ReadTopic(Bootstrap, Sandbox.BatchManifests);
        AssertStamped(plan, manifestRecords);
        Assert.All(manifestRecords, r => Assert.Single(r.Message.Headers, h => h.Key == ReplayHeaders.Job));
        var announced = manifestRecords.Select(WorkerHarness.KeyOf).ToHashSet();
        Assert.True(manifests.All(m => announced.Contains(m.BatchId)), "every replay batch is announced on the sandbox manifest topic");
        return [.. manifests.Select(m => m.BatchId)];
    }

    [Fact]
    public void Plan_refuses_a_job_whose_group_is_the_live_group_and_names_the_option()
    {
        var planner = new ReplayPlanner(new KafkaOptions { BootstrapServers = Bootstrap, GroupId = "trackrec-replay-x" }, WorkerHarness.Topics);
        var ex = Assert.Throws<ReplayPlanException>(() => planner.Plan(new ReplayRequest { JobId = "x", Selection = new TimeRangeSelection(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow) }));
        Assert.Contains("--job", ex.Message, StringComparison.Ordinal);
    }

    private async Task ProduceAndRunLiveAsync()
    {
        var sandbox = Sandbox;
        foreach (var topic in new[] { sandbox.Features, sandbox.UserChains, sandbox.Outcomes, sandbox.DeadLetters, sandbox.BatchManifests })
            _cluster.CreateTopic(topic, Partitions);
        await WorkerHarness.ProduceAsync(Bootstrap, _registry, _stream, 0, seed: 1);
        using var live = WorkerHarness.BuildHost(Bootstrap, _registry, LiveGroup, stopAtEnd: true, workerId: "live",
            new Dictionary<string, string?> { ["TrackRec:Feedback:Batches:Directory"] = _batches });
        await WorkerHarness.RunBoundedAsync(live, TimeSpan.FromSeconds(30));
    }

    private ReplayPlan Plan(ReplayRequest request) =>
        // The mock cluster has no time index (ListOffsets by timestamp answers -1), so times are resolved by reading.
        new ReplayPlanner(Kafka, WorkerHarness.Topics, _ => new ScanningOffsetTimeIndex(Kafka)).Plan(request);

    private async Task RunReplayAsync(ReplayPlan plan)
    {
        using var host = WorkerHarness.BuildHost(Bootstrap, _registry, LiveGroup, stopAtEnd: false, workerId: "replay-" + plan.JobId,
            new Dictionary<string, string?> { ["TrackRec:Feedback:Batches:Directory"] = _batches, ["TrackRec:Feedback:MinLabels"] = "1" }, replay: plan);
        await WorkerHarness.RunBoundedAsync(host, TimeSpan.FromSeconds(30));
    }

    private static TopicOptions Targets(TopicOptions topics)
    {
        ReplayTargets.For(topics, ".replay", toLive: false).ApplyTo(topics);
        return topics;
    }

    private long High(string topic, int partition)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Bootstrap, GroupId = "test-watermarks" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).High.Value;
    }

    private List<TopicPartitionOffset> Committed(string group)
    {
        // OffsetFetch only: this consumer never joins the group.
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Bootstrap, GroupId = group, EnableAutoCommit = false }).Build();
        var partitions = WorkerHarness.Topics.BehaviourInputs.SelectMany(t => Enumerable.Range(0, Partitions).Select(p => new TopicPartition(t, p))).ToList();
        return consumer.Committed(partitions, TimeSpan.FromSeconds(10));
    }

    private static string Describe(List<TopicPartitionOffset> offsets) =>
        string.Join(", ", offsets.OrderBy(o => o.Topic, StringComparer.Ordinal).ThenBy(o => o.Partition.Value).Select(o => $"{o.Topic}:{o.Partition.Value}@{o.Offset.Value}"));

    private static DateTimeOffset Millis(DateTimeOffset time) => DateTimeOffset.FromUnixTimeMilliseconds(time.ToUnixTimeMilliseconds());

    private static void AssertKeys(HashSet<string> expected, List<ConsumeResult<byte[]?, byte[]?>> records, string what)
    {
        var keys = records.Select(WorkerHarness.KeyOf).ToList();
        Assert.True(keys.Count == keys.Distinct().Count(), $"{what}: a key was written twice in one run");
        var missing = expected.Except(keys).ToList();
        var extra = keys.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"{what}: {missing.Count} expected keys missing (e.g. {string.Join(", ", missing.Take(5))}), {extra.Count} outside the range (e.g. {string.Join(", ", extra.Take(5))}); expected {expected.Count}");
    }

    private static void AssertStamped(ReplayPlan plan, IEnumerable<ConsumeResult<byte[]?, byte[]?>> records)
    {
        foreach (var record in records)
        {
            Assert.True(record.Message.Headers.TryGetLastBytes(ReplayHeaders.Job, out var job), $"{WorkerHarness.KeyOf(record)} lacks {ReplayHeaders.Job}");
            Assert.Equal(plan.JobId, Encoding.UTF8.GetString(job));
            Assert.True(record.Message.Headers.TryGetLastBytes(ReplayHeaders.Range, out var range), $"{WorkerHarness.KeyOf(record)} lacks {ReplayHeaders.Range}");
            Assert.Equal(plan.RangeHeader, Encoding.UTF8.GetString(range));
        }
    }
}
