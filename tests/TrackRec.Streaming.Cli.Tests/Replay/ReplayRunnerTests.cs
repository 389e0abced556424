using System.Text;
using Confluent.Kafka;
using TrackRec.Streaming.Cli.Replay;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Replay;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.Tests.Demo;

namespace TrackRec.Streaming.Tests.Replay;

/// <summary>`trackrec replay` as an operator runs it (option checks, dry run, a run with a pinned model version) on the embedded cluster.</summary>
public sealed class ReplayRunnerTests(TrainedModelsFixture models) : IDisposable, IClassFixture<TrainedModelsFixture>
{
    private const int Partitions = 2;
    private static readonly TopicOptions Topics = new();
    private readonly EmbeddedKafkaCluster _cluster = StartCluster();
    private readonly EventStream _stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 5, Users = 12, ImpressionsPerUser = 6 });

    public void Dispose() => _cluster.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("--to", new[] { "--from", "2026-11-20T08:00:00Z" })]
    [InlineData("--to", new[] { "--from", "2026-11-20T08:00:00Z", "--to", "yesterday" })]
    [InlineData("--offsets", new[] { "--offsets", "impressions:0:250-100" })]
    [InlineData("--offsets", new[] { "--offsets", "impressions:0:1-2", "--from", "2026-11-20T08:00:00Z", "--to", "2026-11-21T08:00:00Z" })]
    [InlineData("--warmup", new[] { "--offsets", "impressions:0:1-2", "--warmup", "a while" })]
    [InlineData("--model-version", new[] { "--offsets", "impressions:0:1-2", "--model-version", "generator" })]
    [InlineData("--target-suffix", new[] { "--offsets", "impressions:0:1-2", "--target-suffix", "" })]
    [InlineData("--offsets", new[] { "--offsets", "views:0:1-2" })]
    public async Task A_bad_option_stops_with_exit_code_2_and_a_message_naming_it(string option, string[] args)
    {
        var options = Parse(args) with { Settings = [$"TrackRec:Kafka:BootstrapServers={_cluster.BootstrapServers}"] };
        var error = new StringWriter();

        var exitCode = await ReplayRunner.RunAsync(options, TextWriter.Null, error, Ct, interactive: false);

        Assert.Equal(2, exitCode);
        Assert.Contains(option, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_prints_the_plan_and_writes_nothing()
    {
        await ProduceAsync();
        var times = _stream.Events.Select(e => e.EventTime).Order().ToList();
        var options = new ReplayJobOptions
        {
            JobId = "dry",
            From = times[times.Count / 3].ToString("O"),
            To = times[times.Count * 2 / 3].ToString("O"),
            Warmup = "1h",
            DryRun = true,
            TimeIndex = "scan",
            Settings = [$"TrackRec:Kafka:BootstrapServers={_cluster.BootstrapServers}"],
        };
        var output = new StringWriter();

        var exitCode = await ReplayRunner.RunAsync(options, output, TextWriter.Null, Ct, interactive: false);

        Assert.Equal(0, exitCode);
        var text = output.ToString();
        TestContext.Current.TestOutputHelper?.WriteLine(text);
        Assert.Contains("dry run", text, StringComparison.Ordinal);
        Assert.Contains(Topics.Impressions, text, StringComparison.Ordinal);
        // Nothing written: no sandbox topic was created (so none holds a record) and the replay group has no offsets.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        var existing = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).ToList();
        Assert.DoesNotContain(existing, t => t.EndsWith(".replay", StringComparison.Ordinal));
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _cluster.BootstrapServers, GroupId = ReplayPlanner.GroupIdOf("dry") }).Build();
        var committed = consumer.Committed([.. Topics.BehaviourInputs.SelectMany(t => Enumerable.Range(0, Partitions).Select(p => new TopicPartition(t, p)))], TimeSpan.FromSeconds(10));
        Assert.All(committed, c => Assert.True(c.Offset.IsSpecial, $"the dry run committed {c}"));
    }

    [Fact]
    public async Task Replay_with_a_pinned_model_version_writes_stamped_features_and_plain_progress_lines()
    {
        await ProduceAsync();
        var generator = models.Report.Cards.Single(c => c.Name == "generator").Version;
        var impressions = _stream.Events.OfType<Impression>().Count();
        var options = new ReplayJobOptions
        {
            JobId = "pinned",
            Offsets = string.Join(',', Topics.BehaviourInputs.SelectMany(t => Enumerable.Range(0, Partitions).Select(p => $"{t}:{p}:0-{High(t, p)}"))),
            ModelDirectory = models.Directory,
            ModelVersions = [$"generator={generator}"],
            Settings = [$"TrackRec:Kafka:BootstrapServers={_cluster.BootstrapServers}", "TrackRec:Kafka:Consumer:session.timeout.ms=6000"],
        };
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await ReplayRunner.RunAsync(options, output, error, Ct, interactive: false);

        TestContext.Current.TestOutputHelper?.WriteLine(output.ToString() + error);
        Assert.Equal(0, exitCode);
        Assert.Contains("replay: ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"{impressions} features", output.ToString(), StringComparison.Ordinal);
        var features = ReadAll(Topics.Features + ".replay");
        Assert.Equal(impressions, features.Count);
        Assert.All(features, r => Assert.Equal("pinned", r.Message.Headers.TryGetLastBytes(ReplayHeaders.Job, out var job) ? Encoding.UTF8.GetString(job) : null));
    }

    private static ReplayJobOptions Parse(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 ? args[i + 1] : null;
        return new ReplayJobOptions
        {
            JobId = "bad",
            From = Value("--from"),
            To = Value("--to"),
            Offsets = Value("--offsets"),
            Warmup = Value("--warmup") ?? "24h",
            ModelVersions = Value("--model-version") is { } v ? [v] : [],
            TargetSuffix = Value("--target-suffix") ?? ".replay",
        };
    }

    private static EmbeddedKafkaCluster StartCluster()
    {
        var cluster = EmbeddedKafkaCluster.Start();
        cluster.SetInitialRebalanceDelay(TimeSpan.Zero);
        foreach (var topic in Topics.BehaviourInputs.Append(Topics.Items))
            cluster.CreateTopic(topic, Partitions);
        return cluster;
    }

    private async Task<int> ProduceAsync()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: Ct);
        return await new EventStreamProducer(_cluster.BootstrapServers, new StreamSerdes(registry.Client, Topics)).ProduceAsync(_stream, 0, 1, Ct);
    }

    private long High(string topic, int partition)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _cluster.BootstrapServers, GroupId = "test-watermarks" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).High.Value;
    }

    // Reads every partition of a topic to the high watermarks seen now.
    private List<ConsumeResult<byte[], byte[]>> ReadAll(string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _cluster.BootstrapServers }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single().Partitions.Select(p => p.PartitionId).ToList();
        var ends = partitions.ToDictionary(p => p, p => High(topic, p)).Where(kv => kv.Value > 0).ToDictionary();
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _cluster.BootstrapServers, GroupId = "test-reader", EnableAutoCommit = false }).Build();
        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[], byte[]>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (ends.Count > 0 && DateTime.UtcNow < deadline)
        {
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null || result.IsPartitionEOF)
                continue;
            records.Add(result);
            if (ends.TryGetValue(result.Partition.Value, out var end) && result.Offset.Value + 1 >= end)
                ends.Remove(result.Partition.Value);
        }
        return records;
    }
}
