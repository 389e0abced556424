using System.Diagnostics;
using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Inputs;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// Measures the model path without Kafka, on one thread (what one partition gets): a generation with all
/// roles against the baseline of sampling alone, and a cached feature (one validator call), on requests
/// built from a real stream by the worker's own request builder. Baseline and subject run interleaved in
/// the same process, so the ratio holds even when the machine's speed does not.
/// </summary>
internal static class ChainBenchmark
{
    public static async Task<BenchReport> RunAsync(EventStream stream, GenerationOrchestrator writer, int requests, int rounds, CancellationToken cancellationToken)
    {
        var catalog = new ItemCatalog();
        foreach (var item in stream.Items)
            catalog.Upsert(item);
        var labelled = OfflineLabelling.LabelledImpressions(stream.Events, catalog, new PipelineOptions(), writer.Options.HeldOutOutcomes)
            .Where(l => l.Request.History.Count > 0)
            .ToList();
        if (labelled.Count == 0)
            throw new InvalidOperationException("the stream has no impressions with history to benchmark on");
        var step = Math.Max(1, labelled.Count / requests);
        var sample = labelled.Where((_, i) => i % step == 0).Take(requests).ToList();

        // Warm-up: JIT, ONNX session, caches.
        foreach (var l in sample.Take(50))
            await writer.WriteAsync(l.Request, cancellationToken).ConfigureAwait(false);

        var baseline = new LatencyRecorder();
        var full = new LatencyRecorder();
        var cached = new LatencyRecorder();
        double baselineSeconds = 0, fullSeconds = 0, cachedSeconds = 0;
        long baselineChains = 0, fullChains = 0;
        var chains = new Chain[sample.Count];
        for (var round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var l in sample)
            {
                var started = Stopwatch.GetTimestamp();
                baselineChains += (await writer.Roles.Generator.SampleAsync(l.Request, writer.Options.Samples, cancellationToken).ConfigureAwait(false)).Count;
                baseline.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            baselineSeconds += clock.Elapsed.TotalSeconds;

            clock.Restart();
            for (var i = 0; i < sample.Count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var generation = await writer.WriteAsync(sample[i].Request, cancellationToken).ConfigureAwait(false);
                full.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                fullChains += generation.Chain.Samples.Count;
                chains[i] = generation.Chain;
            }
            fullSeconds += clock.Elapsed.TotalSeconds;

            clock.Restart();
            for (var i = 0; i < sample.Count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await writer.Roles.Validator.ScoreAsync(sample[i].Request, chains[i].AsDraft(), [sample[i].Item], cancellationToken).ConfigureAwait(false);
                cached.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            cachedSeconds += clock.Elapsed.TotalSeconds;
        }

        return new BenchReport
        {
            Requests = sample.Count,
            Rounds = rounds,
            SamplesPerGeneration = writer.Options.Samples,
            Versions = writer.Roles.Versions,
            BaselineChainsPerSecond = Math.Round(baselineChains / baselineSeconds, 1),
            PipelineChainsPerSecond = Math.Round(fullChains / fullSeconds, 1),
            PipelineGenerationsPerSecond = Math.Round(sample.Count * rounds / fullSeconds, 1),
            PipelineToBaselineTimeRatio = Math.Round(fullSeconds / baselineSeconds, 2),
            BaselineMs = LatencySummary.Of(baseline),
            GenerationMs = LatencySummary.Of(full),
            CachedFeatureMs = LatencySummary.Of(cached),
        };
    }
}
