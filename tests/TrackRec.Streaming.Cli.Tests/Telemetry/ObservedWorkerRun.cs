using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Replay;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.Tests.Deploy;
using TrackRec.Streaming.Tests.Demo;

namespace TrackRec.Streaming.Tests.Telemetry;

/// <summary>
/// One bounded run of the real worker host, observed from outside as an operator's tools would see it: the
/// embedded Kafka cluster with impressions carrying W3C `traceparent` headers (a few malformed records among
/// them), the LLM backend on an in-test OpenAI-compatible server that fails some requests, /health/* and
/// /metrics on a real port (read when the run finished), and OTLP/HTTP export of metrics and spans to an in-test
/// receiver. Then a short replay job, observed the same way, for the replay-progress gauges. Shared by the tests
/// that check the dashboard, the alert rules, the probes and the OTLP export against what the worker really does.
/// </summary>
public sealed class ObservedWorkerRun : IAsyncLifetime
{
    private const int Partitions = 2;
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-observed-").FullName;
    private OtlpReceiver? _receiver;

    /// <summary>The paths asked of the worker's health port when the run finished: the probe paths of every overlay, and /metrics.</summary>
    public static IReadOnlyList<string> ProbedPaths { get; } = ProbePaths();

    /// <summary>
    /// The run's topics, named apart from the default ones: ActivitySource and Meter listeners are process-wide,
    /// so spans of other tests' workers running in parallel reach this run's exporter too; span names carry the
    /// topic, which tells this run's apart.
    /// </summary>
    public static TopicOptions Topics { get; } = new()
    {
        Impressions = "observed.impressions", Clicks = "observed.clicks", Comments = "observed.comments", Items = "observed.items",
        Features = "observed.features", UserChains = "observed.user-chains", Outcomes = "observed.outcomes",
        DeadLetters = "observed.dead-letters", BatchManifests = "observed.batch-manifests",
    };

    private static Dictionary<string, string?> TopicSettings => typeof(TopicOptions).GetProperties()
        .Where(p => p.PropertyType == typeof(string) && p.CanWrite)
        .ToDictionary(p => $"TrackRec:Topics:{p.Name}", p => (string?)p.GetValue(Topics));

    internal StopSnapshot Worker { get; private set; } = null!;

    internal StopSnapshot Replay { get; private set; } = null!;

    internal OtlpReceiver Receiver => _receiver!;

    /// <summary>The producer span context (trace id, span id) put into each impression's traceparent header.</summary>
    public HashSet<(string TraceId, string SpanId)> ProducedContexts { get; } = [];

    public long Generations { get; private set; }

    public long BatchesWritten { get; private set; }

    public int ExitCode { get; private set; } = -1;

    public int ReplayExitCode { get; private set; } = -1;

    public string ReplayOutput { get; private set; } = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        var calls = 0;
        // One request in 25 fails: model errors are counted and some features degrade, while most generations and
        // feedback scorings succeed, so training batches are cut; the circuit stays closed.
        await using var llm = FakeOpenAiServer.Start(request => Interlocked.Increment(ref calls) % 25 == 0 ? ScriptedReply.Error(500) : ScriptedPreferenceModel.Answer(request));
        using var cluster = EmbeddedKafkaCluster.Start();
        var topics = Topics;
        foreach (var topic in TopicSettings.Values)
            cluster.CreateTopic(topic!, Partitions);
        await using var registry = await EmbeddedSchemaRegistry.StartAsync();
        await ProduceTracedAsync(cluster.BootstrapServers, new StreamSerdes(registry.Client, topics));

        var settings = new Dictionary<string, string?>(TopicSettings)
        {
            ["TrackRec:Kafka:BootstrapServers"] = cluster.BootstrapServers,
            ["TrackRec:Kafka:SchemaRegistryUrl"] = registry.Url.ToString(),
            ["TrackRec:Kafka:CommitInterval"] = "00:00:00.100",
            ["TrackRec:Kafka:StatisticsInterval"] = "00:00:00.100",
            ["TrackRec:Kafka:Consumer:session.timeout.ms"] = "6000",
            ["TrackRec:Models:Directory"] = Path.Combine(_dir, "models"),
            ["TrackRec:Models:ReloadInterval"] = "00:00:00",
            ["TrackRec:Models:Backend"] = "Llm",
            ["TrackRec:Models:Llm:Endpoint"] = llm.Endpoint,
            ["TrackRec:Models:Llm:Model"] = "test-model",
            ["TrackRec:Models:Llm:MaxRetries"] = "0",
            ["TrackRec:Feedback:Batches:Directory"] = Path.Combine(_dir, "batches"),
            ["TrackRec:Feedback:Batches:MaxRecords"] = "5",
            // The fast lane waits for the slow lane, so what the run writes (chains, training batches, spans) depends on
            // the input alone, not on timing: the counts the tests compare are the same on a loaded machine.
            ["TrackRec:Pipeline:Lanes:Mode"] = "Deterministic",
            ["TrackRec:Feedback:MinLabels"] = "1",
            ["TrackRec:Telemetry:Prometheus"] = "true",
            ["TrackRec:Telemetry:OtlpEndpoint"] = _receiver.Endpoint,
            ["TrackRec:Telemetry:OtlpProtocol"] = "HttpProtobuf",
            ["Logging:LogLevel:Default"] = "Warning",
        };

        Worker = new StopSnapshot(FakeOpenAiServer.FreePort(), ProbedPaths);
        var worker = new Dictionary<string, string?>
        {
            ["TrackRec:Kafka:GroupId"] = "trackrec-observed",
            ["TrackRec:Worker:StopAtEnd"] = "true",
            ["TrackRec:Worker:WorkerId"] = "observed",
            ["TrackRec:Health:Port"] = Worker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        using (var host = WorkerHost.Build(new WorkerHostOptions
        {
            Settings = [settings, worker],
            Services = services => services.AddSingleton(sp => Worker.HostedService(sp.GetRequiredService<IHostApplicationLifetime>())),
        }))
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(TimeSpan.FromMinutes(3));
            ExitCode = await RunCommand.RunHostAsync(host, limit.Token);
            Generations = host.Services.GetRequiredService<PipelineCounters>().Generations;
            BatchesWritten = host.Services.GetRequiredService<StreamCounters>().BatchesWritten;
        } // disposing the host flushes the OTLP exporters into the receiver

        // A replay of the first impressions of partition 0 (with their clicks), serving /metrics on its own port.
        Replay = new StopSnapshot(FakeOpenAiServer.FreePort(), ["/metrics"]);
        var output = new StringWriter();
        ReplayExitCode = await ReplayRunner.RunAsync(
            new ReplayJobOptions
            {
                JobId = "observed",
                Offsets = $"impressions:0:0-4,clicks:0:0-2",
                Warmup = "0",
                Settings = [.. settings.Select(s => $"{s.Key}={s.Value}"),
                    $"TrackRec:Health:Port={Replay.Port}",
                    "TrackRec:Telemetry:OtlpEndpoint="],
            },
            output, output, Ct,
            services => services.AddSingleton(sp => Replay.HostedService(sp.GetRequiredService<IHostApplicationLifetime>())),
            interactive: false);
        ReplayOutput = output.ToString();
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return _receiver?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    private async Task ProduceTracedAsync(string bootstrap, StreamSerdes serdes)
    {
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 21, Users = 24, ImpressionsPerUser = 8 });
        var random = new Random(21);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = bootstrap, EnableIdempotence = true, Acks = Acks.All }).Build();
        foreach (var item in stream.Items)
            await producer.ProduceAsync(serdes.Topics.Items, Message(item.ItemId, await serdes.Items.SerializeAsync(item, Ct), item.UpdatedAt ?? DateTimeOffset.UnixEpoch, null), Ct);
        foreach (var e in stream.Events)
        {
            Headers? headers = null;
            if (e is Impression)
            {
                // What an instrumented producer would send: its span's context in the record.
                var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
                ProducedContexts.Add((context.TraceId.ToHexString(), context.SpanId.ToHexString()));
                headers = new Headers { { TraceContextHeaders.TraceParent, Encoding.ASCII.GetBytes($"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-01") } };
            }
            var topic = serdes.TopicOf(e);
            producer.Produce(topic, Message(e.UserId, await serdes.EncodeBehaviourAsync(e, Ct), e.EventTime, headers));
            if (random.NextDouble() < 0.03)
                producer.Produce(topic, Message(e.UserId, EventStreamProducer.Malformed(random), e.EventTime, null));
        }
        producer.Flush(Ct);
    }

    private static Message<byte[], byte[]> Message(string key, byte[] value, DateTimeOffset time, Headers? headers) =>
        new() { Key = Encoding.UTF8.GetBytes(key), Value = value, Timestamp = new Timestamp(time), Headers = headers };

    private static List<string> ProbePaths()
    {
        var paths = new List<string> { "/metrics" };
        foreach (var overlay in new[] { "dev", "prod" })
            foreach (var probe in DeployManifestTests.Render(overlay).SelectMany(r => YamlDocuments.Descendants(r)).Where(m => m.ContainsKey("httpGet")))
                paths.Add(probe.Map("httpGet").Text("path")!);
        return [.. paths.Distinct()];
    }
}
