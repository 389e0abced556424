using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Hosting;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// Runs a live worker host (not stopping at the end of input) under open-loop impression traffic: a warm-up at
/// the first rate, then each rate for the set duration, one segment after another. After each segment's last
/// scheduled record the run waits a bounded time for the stragglers, so one rate's backlog does not land in the
/// next one's figures; what never arrives is reported as missing.
/// </summary>
internal sealed class PacedRun(BenchCluster cluster, IReadOnlyList<(string UserId, string ItemId)> pairs, TimeProvider time)
{
    public async Task<IReadOnlyList<PacedFigures>> RunAsync(IHost host, IReadOnlyList<int> rates, TimeSpan duration, TimeSpan warmup, TextWriter progress, CancellationToken cancellationToken)
    {
        var limit = host.Services.GetRequiredService<IOptions<ChainFreshnessOptions>>().Value.TimeToLive;
        var worker = host.Services.GetRequiredService<StreamWorker>();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<PacedFigures>();
        try
        {
            await using var arrivals = new FeatureArrivals(cluster);
            using var pacer = new OpenLoopPacer(cluster.BootstrapServers, cluster.Serdes, pairs, time);
            long offset = 0;
            var segments = new List<(int Rate, TimeSpan Length, bool Measured)>();
            if (warmup > TimeSpan.Zero)
                segments.Add((rates[0], warmup, false));
            segments.AddRange(rates.Select(r => (r, duration, true)));
            for (var segment = 0; segment < segments.Count; segment++)
            {
                var (rate, length, measured) = segments[segment];
                var count = Math.Max(1, (long)Math.Round(rate * length.TotalSeconds));
                var schedule = new OpenLoopSchedule(rate, count, time.GetTimestamp() + time.TimestampFrequency / 20, time.TimestampFrequency);
                var collector = new PacedLatencyCollector(schedule, time, limit);
                arrivals.Register(segment, collector);
                await progress.WriteLineAsync($"  paced {(measured ? "" : "warm-up ")}{rate:N0} events/s for {length.TotalSeconds:N1}s ({count:N0} impressions)").ConfigureAwait(false);
                await pacer.RunAsync(segment, schedule, offset, cancellationToken).ConfigureAwait(false);
                offset += count;
                var drain = Stopwatch.StartNew();
                var drainLimit = TimeSpan.FromSeconds(Math.Max(5, length.TotalSeconds));
                while (!collector.Complete && drain.Elapsed < drainLimit && !worker.Finished.IsCompleted && !arrivals.Completion.IsCompleted)
                    await Task.Delay(20, cancellationToken).ConfigureAwait(false);
                arrivals.Unregister(segment);
                if (worker.Finished.IsFaulted)
                    await worker.Finished.ConfigureAwait(false);
                if (arrivals.Completion.IsFaulted)
                    await arrivals.Completion.ConfigureAwait(false);
                if (measured)
                    results.Add(collector.Summarise(drain.Elapsed.TotalSeconds));
            }
        }
        finally
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stopping.Token).ConfigureAwait(false);
        }
        return results;
    }
}
