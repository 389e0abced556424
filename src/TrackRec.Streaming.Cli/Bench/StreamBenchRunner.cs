using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Inputs;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// `trackrec bench stream`: every phase on its own embedded cluster in one process, one after another, so the
/// worker's figures are ratios to a pass-through ceiling measured on the same machine minutes apart.
/// </summary>
internal static class StreamBenchRunner
{
    public static async Task<StreamBenchReport> RunAsync(StreamBenchOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        var (stream, inputName) = options.Input.Load();
        var pairs = stream.Events.OfType<Impression>().Select(i => (i.UserId, i.ItemId)).ToList();
        if (pairs.Count == 0)
            throw new BenchInputException($"{inputName} has no impressions to pace");
        await output.WriteLineAsync($"source: {inputName}: {stream.Items.Count:N0} items, {stream.Events.Count:N0} events; {options.Partitions} partitions, {Environment.ProcessorCount} processors").ConfigureAwait(false);
        var store = new ModelStore(options.ModelDirectory ?? Path.Combine(options.OutDirectory, "models"));
        await DemoTraining.EnsureModelsAsync(store, stream, inputName, new DemoOptions { OutDirectory = options.OutDirectory, Input = options.Input }, output).ConfigureAwait(false);

        await output.WriteLineAsync("ceiling: pass-through consumer -> producer").ConfigureAwait(false);
        ThroughputFigures ceiling;
        using (var cluster = await ClusterWithAsync(stream, options, cancellationToken).ConfigureAwait(false))
            ceiling = await PassThroughCeiling.RunAsync(cluster, stream.Events.Count, TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"  {ceiling.EventsPerSecond:N0} events/s").ConfigureAwait(false);

        var on = await WorkerAsync(stream, options, WorkerSettings(options, store, "feedback-on", new() { ["TrackRec:Feedback:Enabled"] = "true" }), "feedback on", output, cancellationToken).ConfigureAwait(false);
        var off = await WorkerAsync(stream, options, WorkerSettings(options, store, "feedback-off", new() { ["TrackRec:Feedback:Enabled"] = "false" }), "feedback off", output, cancellationToken).ConfigureAwait(false);

        await output.WriteLineAsync("paced: open-loop impressions, latency from scheduled send to the feature at a downstream consumer").ConfigureAwait(false);
        IReadOnlyList<PacedFigures> paced;
        using (var cluster = BenchCluster.Start(options.Partitions))
        {
            await cluster.ProduceItemsAsync(stream, cancellationToken).ConfigureAwait(false);
            using var host = WorkerHost.Build(EmbeddedWorkerSettings.HostOptions(cluster.BootstrapServers, cluster.Registry, WorkerSettings(options, store, "paced", new() { ["TrackRec:Worker:StopAtEnd"] = "false" })));
            paced = await new PacedRun(cluster, pairs, TimeProvider.System).RunAsync(host, options.Rates, options.Duration, options.Warmup, output, cancellationToken).ConfigureAwait(false);
        }

        LlmFigures? llm = null;
        if (options.Llm)
            llm = await LlmAsync(stream, pairs, options, store, output, cancellationToken).ConfigureAwait(false);

        var memory = await MemoryAsync(stream, options, store, output, cancellationToken).ConfigureAwait(false);

        return new StreamBenchReport
        {
            Source = inputName,
            Partitions = options.Partitions,
            ProcessorCount = Environment.ProcessorCount,
            StartedAt = startedAt,
            InputEvents = stream.Events.Count,
            Ceiling = ceiling,
            WorkerFeedbackOn = on,
            WorkerFeedbackOff = off,
            RatioFeedbackOn = StreamBenchReport.Ratio(on.EventsPerSecond, ceiling.EventsPerSecond),
            RatioFeedbackOff = StreamBenchReport.Ratio(off.EventsPerSecond, ceiling.EventsPerSecond),
            Paced = paced,
            PacedAchievedToCeiling = paced.Select(p => StreamBenchReport.Ratio(p.Achieved, ceiling.EventsPerSecond)).ToList(),
            Llm = llm,
            Memory = memory,
        };
    }

    /// <summary>Writes bench.json and bench.png into the output directory; returns their paths.</summary>
    public static async Task<(string Json, string Png)> WriteAsync(StreamBenchReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, "bench.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }), cancellationToken).ConfigureAwait(false);
        var png = Path.Combine(directory, "bench.png");
        StreamBenchPlot.Write(report, png);
        return (json, png);
    }

    private static async Task<BenchCluster> ClusterWithAsync(EventStream stream, StreamBenchOptions options, CancellationToken cancellationToken)
    {
        var cluster = BenchCluster.Start(options.Partitions);
        try
        {
            await cluster.ProduceAsync(stream, cancellationToken).ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    private static async Task<ThroughputFigures> WorkerAsync(EventStream stream, StreamBenchOptions options, Dictionary<string, string?> settings, string name, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"worker ({name}): embedded models, bounded run over the stream").ConfigureAwait(false);
        using var cluster = await ClusterWithAsync(stream, options, cancellationToken).ConfigureAwait(false);
        var figures = await WorkerThroughput.RunAsync(cluster, settings, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"  {figures.EventsPerSecond:N0} events/s").ConfigureAwait(false);
        return figures;
    }

    /// <summary>The demo's worker settings for one phase, with its own batch directory, then the phase's, then --set.</summary>
    private static Dictionary<string, string?> WorkerSettings(StreamBenchOptions options, ModelStore store, string phase, Dictionary<string, string?> phaseSettings)
    {
        var batches = Path.Combine(options.OutDirectory, "batches", phase);
        if (Directory.Exists(batches))
            Directory.Delete(batches, recursive: true);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["TrackRec:Kafka:GroupId"] = "bench-worker",
            ["TrackRec:Worker:WorkerId"] = "bench",
            ["TrackRec:Models:Directory"] = store.Root,
            ["TrackRec:Models:Backend"] = "Embedded",
            ["TrackRec:Feedback:Batches:Directory"] = batches,
        };
        foreach (var (key, value) in phaseSettings)
            settings[key] = value;
        foreach (var (key, value) in options.Settings)
            settings[key] = value;
        return settings;
    }

    private static async Task<LlmFigures> LlmAsync(EventStream stream, List<(string UserId, string ItemId)> pairs, StreamBenchOptions options, ModelStore store, TextWriter output, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync($"llm: generator, reflection and validator on a stand-in server ({options.LlmServiceTime.TotalMilliseconds:N0} ms per request, capacity {options.LlmCapacity})").ConfigureAwait(false);
        await using var server = new LlmStandIn(options.LlmServiceTime, options.LlmCapacity, TimeProvider.System);
        using var cluster = BenchCluster.Start(options.Partitions);
        await cluster.ProduceItemsAsync(stream, cancellationToken).ConfigureAwait(false);
        using var meter = new GenerationQueueMeter();
        using var host = WorkerHost.Build(EmbeddedWorkerSettings.HostOptions(cluster.BootstrapServers, cluster.Registry, WorkerSettings(options, store, "llm", new()
        {
            ["TrackRec:Worker:StopAtEnd"] = "false",
            ["TrackRec:Models:Backend"] = "Llm",
            ["TrackRec:Models:Llm:Endpoint"] = server.Endpoint,
            ["TrackRec:Models:Llm:Model"] = "bench-model",
        })));
        var budget = host.Services.GetRequiredService<IConfiguration>().GetValue("TrackRec:Models:Llm:MaxConcurrency", new Models.Llm.LlmOptions().MaxConcurrency);
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleAsync(meter, server.InFlight, sampling.Token);
        var paced = await new PacedRun(cluster, pairs, TimeProvider.System).RunAsync(host, [options.LlmRate], options.Duration, TimeSpan.Zero, output, cancellationToken).ConfigureAwait(false);
        await sampling.CancelAsync().ConfigureAwait(false);
        var whileQueued = await sampler.ConfigureAwait(false);

        var impressions = host.Services.GetRequiredService<PipelineCounters>().Impressions;
        var calls = host.Services.GetRequiredService<ModelCallCounters>();
        var byRole = server.CallsByRole();
        double PerImpression(long n) => impressions == 0 ? 0 : Math.Round((double)n / impressions, 3);
        var depth = meter.Of(GenerationQueueMeter.Depth);
        var age = meter.Of(GenerationQueueMeter.Age);
        var mean = server.InFlight.Mean();
        return new LlmFigures
        {
            ServiceTimeMs = options.LlmServiceTime.TotalMilliseconds,
            ServerCapacity = options.LlmCapacity,
            Budget = budget,
            InFlightMean = Math.Round(mean, 3),
            InFlightMax = server.InFlight.Max,
            InFlightMeanToBudget = Math.Round(mean / budget, 4),
            InFlightMeanWhileQueued = whileQueued is { } q ? Math.Round(q, 3) : null,
            Impressions = impressions,
            LlmCalls = calls.Calls,
            CallsPerImpression = PerImpression(byRole.Values.Sum()),
            CallsPerImpressionByRole = byRole.ToDictionary(kv => kv.Key, kv => PerImpression(kv.Value)),
            Failures = calls.Failures,
            MalformedAnswers = calls.MalformedAnswers,
            QueueDepthMean = depth?.Mean is { } dm ? Math.Round(dm, 3) : null,
            QueueDepthMax = depth?.Max,
            QueueAgeMean = age?.Mean is { } am ? Math.Round(am, 3) : null,
            QueueAgeMax = age?.Max,
            Paced = paced[0],
        };
    }

    /// <summary>Samples the queue instruments every 100 ms; returns the mean in flight over the samples that found the queue non-empty.</summary>
    private static async Task<double?> SampleAsync(GenerationQueueMeter meter, InFlightGauge inFlight, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        long sum = 0, samples = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                meter.Sample();
                if (meter.Last(GenerationQueueMeter.Depth) > 0)
                {
                    sum += inFlight.Current;
                    samples++;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return samples == 0 ? null : (double)sum / samples;
    }

    private static async Task<IReadOnlyList<MemoryFigures>> MemoryAsync(EventStream stream, StreamBenchOptions options, ModelStore store, TextWriter output, CancellationToken cancellationToken)
    {
        if (options.MemoryUsers.Count == 0)
            return [];
        var writer = new GenerationOrchestrator(new GenerationOptions(), EmbeddedModelSet.Load(store));
        var templates = await ChainTemplates.WriteAsync(stream, writer, 64, cancellationToken).ConfigureAwait(false);
        var itemIds = stream.Items.Select(i => i.ItemId).ToList();
        var results = new List<MemoryFigures>();
        double? projected = null;
        foreach (var users in options.MemoryUsers.Order())
        {
            await output.WriteLineAsync($"memory: {users:N0} synthetic users").ConfigureAwait(false);
            var figures = MemoryBench.Run(users, templates, itemIds, projected);
            projected = figures.BytesPerUser ?? projected;
            results.Add(figures);
            await output.WriteLineAsync(figures.BytesPerUser is { } b ? $"  {b:N0} bytes/user" : $"  skipped: {figures.Skipped}").ConfigureAwait(false);
        }
        return results;
    }
}
