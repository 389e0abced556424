using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Kafka.Diagnostics;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// The real worker host, bounded (stop at the end of the stream), over the stream already on the cluster.
/// Timed like the ceiling: from the first record consumed (watched on the worker's own counters, so the
/// worker is not changed to be measured) to the end of the run, which includes labelling every open impression.
/// </summary>
internal static class WorkerThroughput
{
    public static async Task<ThroughputFigures> RunAsync(BenchCluster cluster, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        using var host = WorkerHost.Build(EmbeddedWorkerSettings.HostOptions(cluster.BootstrapServers, cluster.Registry, settings));
        var counters = host.Services.GetRequiredService<StreamCounters>();
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var firstConsumed = WatchFirstConsumedAsync(counters, watching.Token);
        var exitCode = await RunCommand.RunHostAsync(host, cancellationToken).ConfigureAwait(false);
        var ended = Stopwatch.GetTimestamp();
        await watching.CancelAsync().ConfigureAwait(false);
        var started = await firstConsumed.ConfigureAwait(false);
        if (exitCode != 0)
            throw new InvalidOperationException($"the worker stopped with exit code {exitCode}");
        var outputs = counters.FeaturesEmitted + counters.OutcomesEmitted + counters.ChainsEmitted + counters.DeadLetters;
        return new ThroughputFigures(counters.EventsConsumed, outputs, started is { } s ? Stopwatch.GetElapsedTime(s, ended).TotalSeconds : 0);
    }

    // Polled rather than hooked: a millisecond of resolution on runs of seconds.
    private static async Task<long?> WatchFirstConsumedAsync(StreamCounters counters, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (counters.EventsConsumed > 0)
                return Stopwatch.GetTimestamp();
            try
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return counters.EventsConsumed > 0 ? Stopwatch.GetTimestamp() : null;
    }
}
