using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Training.Bootstrap;

namespace TrackRec.Streaming.Cli.Demo;

/// <summary>
/// The demo end to end with no external service: start the embedded Kafka, produce a stream onto it,
/// run the real worker host (bounded) until the stream is drained, then summarise what it did.
/// </summary>
internal static class DemoRunner
{
    public static async Task<(int ExitCode, DemoSummary? Summary)> RunAsync(DemoOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var (stream, inputName) = options.Input.Load();
        await SkippedLines.WriteAsync(stream, output).ConfigureAwait(false);
        await output.WriteLineAsync($"source: {inputName}: {stream.Items.Count} items, {stream.Events.Count} events").ConfigureAwait(false);

        var store = new ModelStore(options.ModelDirectory ?? Path.Combine(options.OutDirectory, "models"));
        (DateTimeOffset EvaluateFrom, TrainingSummary? Summary) training;
        try
        {
            training = await DemoTraining.EnsureModelsAsync(store, stream, inputName, options, output).ConfigureAwait(false);
        }
        catch (InsufficientTrainingDataException ex)
        {
            await output.WriteLineAsync(InsufficientInput.Sentence(inputName, ex)).ConfigureAwait(false);
            return (InsufficientInput.ExitCode, null);
        }

        using var cluster = EmbeddedKafkaCluster.Start();
        var topics = new TopicOptions();
        EmbeddedTopics.CreateAll(cluster, topics, options.Partitions);

        // One registry for producer and worker, reached over its REST endpoint as a registry server would be.
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var produceClock = Stopwatch.StartNew();
        var malformed = await new EventStreamProducer(cluster.BootstrapServers, new StreamSerdes(registry.Client, topics))
            .ProduceAsync(stream, options.MalformedShare, options.Input.Seed, cancellationToken).ConfigureAwait(false);
        var produceSeconds = produceClock.Elapsed.TotalSeconds;
        await output.WriteLineAsync($"produced onto embedded Kafka at {cluster.BootstrapServers} in {produceSeconds:F1}s ({malformed} malformed records injected)").ConfigureAwait(false);

        var settings = new Dictionary<string, string?>
        {
            ["TrackRec:Models:Directory"] = store.Root,
            ["TrackRec:Models:Backend"] = options.Generator == "llm" ? "Llm" : "Embedded",
            ["TrackRec:Models:Llm:Endpoint"] = options.LlmEndpoint,
            ["TrackRec:Models:Llm:Model"] = options.LlmModel ?? "default",
            ["TrackRec:Feedback:Batches:Directory"] = Path.Combine(options.OutDirectory, "batches"),
        };
        foreach (var (key, value) in options.Settings)
            settings[key] = value;
        using var host = WorkerHost.Build(EmbeddedWorkerSettings.HostOptions(cluster.BootstrapServers, registry, settings));
        // Judge the validator and the selection only on impressions after the data the models learnt from.
        host.Services.GetRequiredService<PipelineCounters>().EvaluateFrom = training.EvaluateFrom;

        var clock = Stopwatch.StartNew();
        var exitCode = await RunCommand.RunHostAsync(host, cancellationToken).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        if (exitCode != 0)
            return (exitCode, null);

        var stats = host.Services.GetRequiredService<StreamCounters>();
        var pipeline = host.Services.GetRequiredService<PipelineCounters>();
        var calls = host.Services.GetRequiredService<ModelCallCounters>();
        var roles = host.Services.GetRequiredService<GenerationOrchestrator>().Roles;
        var summary = new DemoSummary
        {
            Source = inputName,
            EventsConsumed = stats.EventsConsumed,
            Impressions = pipeline.Impressions,
            Clicks = pipeline.Clicks,
            Comments = pipeline.Comments,
            Items = stats.ItemsConsumed,
            FeaturesEmitted = stats.FeaturesEmitted,
            OutcomesEmitted = stats.OutcomesEmitted,
            ChainsEmitted = stats.ChainsEmitted,
            DeadLetters = stats.DeadLetters,
            LabelsClicked = pipeline.LabelsClicked,
            LabelsNotClicked = pipeline.LabelsNotClicked,
            Generations = pipeline.Generations,
            ChainsGenerated = pipeline.ChainsGenerated,
            ChainsRefined = pipeline.ChainsRefined,
            ReflectionRejections = pipeline.ReflectionRejections,
            ValidatorAuc = Round(pipeline.Validator.Auc()),
            ValidatorScored = pipeline.Validator.Count,
            MeanSelectedReward = Round(pipeline.MeanSelectedReward),
            MeanSampledReward = Round(pipeline.MeanSampledReward),
            DpoRecords = stats.PreferenceRecordsWritten,
            ValidatorRecords = stats.ValidatorRecordsWritten,
            DpoBatches = stats.BatchesWritten,
            FeedbackLost = pipeline.FeedbackLost,
            RewardPairs = pipeline.RewardPairs,
            LlmCalls = calls.Calls,
            LlmFailures = calls.Failures,
            MalformedAnswers = calls.MalformedAnswers,
            EvaluateFrom = training.EvaluateFrom,
            Training = training.Summary,
            ModelVersionsUsed = roles.Versions,
            ChainCacheHits = pipeline.ChainCacheHits,
            FreshFeatures = pipeline.FreshFeatures,
            StaleFeatures = pipeline.StaleFeatures,
            NoChainFeatures = pipeline.NoChainFeatures,
            FailedGenerations = pipeline.FailedGenerations,
            DegradedFeatures = pipeline.DegradedFeatures,
            GeneratorVersion = roles.Generator.Version,
            MalformedInjected = malformed,
            InputLinesSkipped = stream.Problems.Count,
            FeatureLatencyMs = LatencySummary.Of(stats.FeatureLatency),
            FreshFeatureLatencyMs = LatencySummary.Of(stats.FreshFeatureLatency),
            CachedFeatureLatencyMs = LatencySummary.Of(stats.CachedFeatureLatency),
            GenerationLatencyMs = LatencySummary.Of(stats.GenerationLatency),
            ChainsPerSecond = Math.Round(pipeline.ChainsGenerated / Math.Max(elapsed, 1e-9), 1),
            ProduceSeconds = Math.Round(produceSeconds, 3),
            ElapsedSeconds = Math.Round(elapsed, 3),
            EventsPerSecond = Math.Round(stats.EventsConsumed / Math.Max(elapsed, 1e-9), 1),
        };

        Directory.CreateDirectory(options.OutDirectory);
        var path = Path.Combine(options.OutDirectory, "summary.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }), cancellationToken).ConfigureAwait(false);
        await PrintAsync(summary, path, output).ConfigureAwait(false);
        return (0, summary);
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static async Task PrintAsync(DemoSummary s, string path, TextWriter output)
    {
        var labelled = s.LabelsClicked + s.LabelsNotClicked;
        string Check(bool ok) => ok ? "ok" : "MISMATCH";
        static string Show(double? v) => v is { } x ? x.ToString("F4", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
        var lines = new[]
        {
            "",
            $"  events consumed      {s.EventsConsumed,10:N0}   ({s.EventsPerSecond:N0} events/s over {s.ElapsedSeconds:N1}s)",
            $"  items (catalog)      {s.Items,10:N0}",
            $"  impressions          {s.Impressions,10:N0}",
            $"  clicks / comments    {s.Clicks,10:N0} / {s.Comments:N0}",
            $"  features emitted     {s.FeaturesEmitted,10:N0}   one per impression: {Check(s.FeaturesEmitted == s.Impressions)}",
            $"  labels               {labelled,10:N0}   clicked {s.LabelsClicked:N0}, not clicked {s.LabelsNotClicked:N0}; one per impression: {Check(labelled == s.Impressions && s.OutcomesEmitted == s.Impressions)}",
            $"  dead letters         {s.DeadLetters,10:N0}   malformed injected {s.MalformedInjected:N0}: {Check(s.DeadLetters == s.MalformedInjected)}",
            $"  generations          {s.Generations,10:N0}   chains sampled {s.ChainsGenerated:N0}, refined {s.ChainsRefined:N0} after {s.ReflectionRejections:N0} rejections; failed {s.FailedGenerations:N0}",
            $"  features by chain    fresh {s.FreshFeatures:N0}, cached {s.ChainCacheHits:N0}, stale {s.StaleFeatures:N0}, none {s.NoChainFeatures:N0}, degraded {s.DegradedFeatures:N0}",
            $"  models               {s.ModelVersionsUsed.Generator}, {s.ModelVersionsUsed.Validator}, {s.ModelVersionsUsed.Encoder}, {s.ModelVersionsUsed.Explorer}; llm calls {s.LlmCalls:N0}",
            $"  validator AUC        {Show(s.ValidatorAuc)}   on {s.ValidatorScored:N0} impressions after {s.EvaluateFrom:yyyy-MM-dd HH:mm} (labels it had not seen)",
            $"  reward               selected {Show(s.MeanSelectedReward)} vs sampled {Show(s.MeanSampledReward)} on {s.RewardPairs:N0} later outcomes",
            $"  training data        {s.DpoRecords,10:N0}   preference records, {s.ValidatorRecords:N0} validator records in {s.DpoBatches:N0} batches under {Path.Combine(Path.GetDirectoryName(path)!, "batches")}",
            $"  feature latency      p50 {s.FeatureLatencyMs.P50:N1} ms, p99 {s.FeatureLatencyMs.P99:N1} ms (consume to produce acknowledgement); fresh p50 {s.FreshFeatureLatencyMs.P50:N1}/p99 {s.FreshFeatureLatencyMs.P99:N1}, cached p50 {s.CachedFeatureLatencyMs.P50:N1}/p99 {s.CachedFeatureLatencyMs.P99:N1}",
            $"  generation           p50 {s.GenerationLatencyMs.P50:N2} ms, p99 {s.GenerationLatencyMs.P99:N2} ms per fresh chain; {s.ChainsPerSecond:N0} chains sampled/s",
            $"  summary              {path}",
        };
        foreach (var line in lines)
            await output.WriteLineAsync(line).ConfigureAwait(false);
    }
}
