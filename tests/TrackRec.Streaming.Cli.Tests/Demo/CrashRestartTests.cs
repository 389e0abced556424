using System.Diagnostics;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;

namespace TrackRec.Streaming.Tests.Demo;

/// <summary>
/// A worker process killed mid-stream and started again writes the same training batches (ids and bytes)
/// as a worker that ran through: the restart rebuilds its state from the stream before the committed
/// offsets (TrackRec:Worker:StateWarmup), cuts its batches where the first run cut them and rewrites
/// the ones it had written. The worker runs as a child process (trackrec run) so the kill is a real one.
/// </summary>
public sealed class CrashRestartTests(TrainedModelsFixture models) : IDisposable, IClassFixture<TrainedModelsFixture>
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Process Start(string bootstrap, string group, string batches) => WorkerProcess.Start(bootstrap, group, batches, models.Directory);

    private static Task<int> ExitAsync(Process process, TimeSpan timeout) => WorkerProcess.ExitAsync(process, timeout);

    private static Task<Dictionary<string, string[]>> BatchesAsync(string dir) => WorkerProcess.BatchesAsync(dir);

    [Fact]
    public async Task A_worker_killed_mid_stream_and_restarted_writes_the_batches_of_an_uninterrupted_run()
    {
        // The uninterrupted run gets a cluster of its own, so the restarted run's topics and group offsets are
        // only what it wrote itself.
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 19, Users = 120, ImpressionsPerUser = 40 });
        Dictionary<string, string[]> expected;
        using (var reference = await WorkerProcess.ClusterWithAsync(stream))
        {
            var through = Path.Combine(_dir, "through");
            using (var worker = Start(reference.BootstrapServers, "through", through))
                Assert.Equal(0, await ExitAsync(worker, TimeSpan.FromMinutes(3)));
            expected = await BatchesAsync(through);
        }
        Assert.True(expected.Count >= 10, $"the uninterrupted run wrote {expected.Count} batches");

        using var cluster = await WorkerProcess.ClusterWithAsync(stream);
        var crashed = Path.Combine(_dir, "crashed");
        using (var worker = Start(cluster.BootstrapServers, "crashed", crashed))
        {
            // Kill once a few batches are durable: mid-stream, with work in flight.
            while (await WorkerProcess.ManifestCountAsync(crashed) < 3 && !worker.HasExited)
                await Task.Delay(20, Ct); // polls another process's files; nothing here can signal it
            Assert.False(worker.HasExited, "the worker finished before it could be killed; the stream is too short for this machine");
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync(Ct);
        }
        var beforeRestart = await BatchesAsync(crashed);
        Assert.True(beforeRestart.Count < expected.Count, $"{beforeRestart.Count} of {expected.Count} batches were written before the kill");

        using (var worker = Start(cluster.BootstrapServers, "crashed", crashed))
            Assert.Equal(0, await ExitAsync(worker, TimeSpan.FromMinutes(3)));
        var afterRestart = await BatchesAsync(crashed);

        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), afterRestart.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, files) in expected)
            Assert.Equal(files, afterRestart[id]); // the same records, byte for byte
    }
}
