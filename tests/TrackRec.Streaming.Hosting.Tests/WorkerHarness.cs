using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Hosting.Roles;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Replay;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;
using Xunit;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>
/// Builds worker hosts the way the demo does (in-memory configuration, one shared embedded schema
/// registry reached by its URL), produces streams, and reads output topics whole.
/// </summary>
internal static class WorkerHarness
{
    public static readonly TopicOptions Topics = new();

    public static IEnumerable<string> AllTopics =>
        [Topics.Impressions, Topics.Clicks, Topics.Comments, Topics.Items, Topics.Features, Topics.UserChains, Topics.Outcomes, Topics.DeadLetters, Topics.BatchManifests];

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static EmbeddedKafkaCluster StartCluster(int partitions)
    {
        var cluster = EmbeddedKafkaCluster.Start();
        cluster.SetInitialRebalanceDelay(TimeSpan.Zero);
        foreach (var topic in AllTopics)
            cluster.CreateTopic(topic, partitions);
        return cluster;
    }

    public static Task<int> ProduceAsync(string bootstrap, EmbeddedSchemaRegistry registry, EventStream stream, double malformedShare, int seed) =>
        ProduceAsync(bootstrap, registry.Client, stream, malformedShare, seed);

    public static Task<int> ProduceAsync(string bootstrap, ISchemaRegistryClient registry, EventStream stream, double malformedShare, int seed) =>
        new EventStreamProducer(bootstrap, new StreamSerdes(registry, Topics)).ProduceAsync(stream, malformedShare, seed, Ct);

    public static IHost BuildHost(
        string bootstrap, EmbeddedSchemaRegistry? registry, string groupId, bool stopAtEnd, string workerId,
        IDictionary<string, string?>? overrides = null, ReplayPlan? replay = null) =>
        BuildHost(bootstrap, registry?.Url, groupId, stopAtEnd, workerId, overrides, replay);

    /// <summary>A worker host on <paramref name="registryUrl"/> (embedded or a real registry); null: the host starts its own.</summary>
    public static IHost BuildHost(
        string bootstrap, Uri? registryUrl, string groupId, bool stopAtEnd, string workerId,
        IDictionary<string, string?>? overrides = null, ReplayPlan? replay = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["TrackRec:Kafka:BootstrapServers"] = bootstrap,
            ["TrackRec:Kafka:GroupId"] = groupId,
            // The test's registry over REST, as a registry server would be reached; none: the host starts its own.
            ["TrackRec:Kafka:SchemaRegistryUrl"] = registryUrl?.ToString() ?? "",
            ["TrackRec:Kafka:CommitInterval"] = "00:00:00.200",
            ["TrackRec:Kafka:DrainTimeout"] = "00:00:10",
            ["TrackRec:Kafka:Consumer:session.timeout.ms"] = "6000",
            ["TrackRec:Kafka:Consumer:heartbeat.interval.ms"] = "500",
            ["TrackRec:Worker:StopAtEnd"] = stopAtEnd ? "true" : "false",
            ["TrackRec:Worker:WorkerId"] = workerId,
            ["TrackRec:Feedback:Batches:Directory"] = Path.Combine(Path.GetTempPath(), "trackrec-test-batches", $"{workerId}-{Guid.NewGuid():N}"),
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        // The production host, without appsettings or environment, on in-memory roles the tests can reason about.
        return WorkerHost.Build(new WorkerHostOptions
        {
            UseDefaults = false,
            Settings = [settings],
            Roles = new FixedModelRoles(TestRoles.Embedded()),
            Replay = replay,
            Logging = logging =>
            {
                logging.SetMinimumLevel(LogLevel.Warning);
                logging.AddFilter("TrackRec", LogLevel.Information);
                logging.AddProvider(new TestOutputLoggerProvider(workerId));
            },
        });
    }

    /// <summary>Starts a bounded (StopAtEnd) host and waits for it to stop by itself; fails on timeout or a fatal worker error.</summary>
    public static async Task RunBoundedAsync(IHost host, TimeSpan timeout)
    {
        await host.StartAsync(Ct);
        var worker = host.Services.GetRequiredService<StreamWorker>();
        try
        {
            await worker.Finished.WaitAsync(timeout, Ct);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the bounded worker did not finish within {timeout.TotalSeconds:F0}s (hang?)");
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await host.WaitForShutdownAsync(stop.Token);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> at the deadline.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
                Assert.Fail($"timed out after {timeout.TotalSeconds:F0}s waiting for {what()}");
            await Task.Delay(50, Ct);
        }
    }

    /// <summary>Reads a topic from the beginning to the high watermarks observed at the start, within a deadline.</summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> ReadTopic(string bootstrap, string topic, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single(t => t.Topic == topic);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"), // never joined: partitions are assigned manually
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        var ends = new Dictionary<int, long>();
        foreach (var p in metadata.Partitions.Select(p => p.PartitionId))
        {
            var high = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value;
            if (high > 0)
                ends[p] = high;
        }
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        if (ends.Count == 0)
            return records;
        consumer.Assign(ends.Keys.Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var clock = Stopwatch.StartNew();
        while (ends.Count > 0)
        {
            if (clock.Elapsed > limit)
                throw new TimeoutException($"reading {topic}: partitions [{string.Join(",", ends.Keys)}] not read to their end within {limit.TotalSeconds:F0}s");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null || result.IsPartitionEOF)
                continue;
            records.Add(result);
            if (ends.TryGetValue(result.Partition.Value, out var end) && result.Offset.Value + 1 >= end)
                ends.Remove(result.Partition.Value);
        }
        consumer.Close();
        return records;
    }

    public static string KeyOf(ConsumeResult<byte[]?, byte[]?> record) =>
        record.Message.Key is null ? "" : System.Text.Encoding.UTF8.GetString(record.Message.Key);

    private sealed class TestOutputLoggerProvider(string worker) : ILoggerProvider
    {
        private readonly ITestOutputHelper? _output = TestContext.Current.TestOutputHelper;

        public ILogger CreateLogger(string categoryName) => new Logger(_output, worker, categoryName[(categoryName.LastIndexOf('.') + 1)..]);

        public void Dispose()
        {
        }

        private sealed class Logger(ITestOutputHelper? output, string worker, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => output is not null && logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                try
                {
                    output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{worker}] {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
                }
                catch (InvalidOperationException)
                {
                    // the test has finished; late log lines from a stopping worker are dropped
                }
            }
        }
    }
}
