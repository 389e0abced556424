using System.Diagnostics;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Sources;

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

    private Process Start(string bootstrap, string group, string batches)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "trackrec.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(cli);
        start.ArgumentList.Add("run");
        foreach (var setting in new[]
        {
            $"TrackRec:Kafka:BootstrapServers={bootstrap}",
            $"TrackRec:Kafka:GroupId={group}",
            "TrackRec:Kafka:SchemaRegistryUrl=",
            "TrackRec:Kafka:CommitInterval=00:00:00.100",
            "TrackRec:Kafka:Consumer:session.timeout.ms=6000",
            "TrackRec:Kafka:Consumer:heartbeat.interval.ms=500",
            "TrackRec:Worker:StopAtEnd=true",
            "TrackRec:Worker:StateWarmup=36500.00:00:00",
            // Deterministic lanes: the fast lane waits for the slow lane, so the outputs depend on the input alone.
            "TrackRec:Pipeline:Lanes:Mode=Deterministic",
            $"TrackRec:Models:Directory={models.Directory}",
            "TrackRec:Models:ReloadInterval=00:00:00",
            $"TrackRec:Feedback:Batches:Directory={batches}",
            "TrackRec:Feedback:Batches:MaxRecords=40",
            "TrackRec:Health:Port=0",
            "Logging:LogLevel:Default=Warning",
        })
        {
            start.ArgumentList.Add("--set");
            start.ArgumentList.Add(setting);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) TestContext.Current.TestOutputHelper?.WriteLine($"[{group}] {e.Data}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) TestContext.Current.TestOutputHelper?.WriteLine($"[{group}!] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<int> ExitAsync(Process process, TimeSpan timeout)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the worker process did not finish within {timeout}");
        }
        return process.ExitCode;
    }

    private static async Task<Dictionary<string, string[]>> BatchesAsync(string dir)
    {
        var reader = new BatchReader(new LocalDirectoryBatchStore(dir));
        var batches = new Dictionary<string, string[]>();
        foreach (var manifest in await reader.ManifestsAsync(Ct))
        {
            Assert.Empty(await reader.VerifyAsync(manifest, Ct));
            batches[manifest.BatchId] = [.. manifest.Files.Select(f => $"{f.Name}:{f.Sha256}")];
        }
        return batches;
    }

    [Fact]
    public async Task A_worker_killed_mid_stream_and_restarted_writes_the_batches_of_an_uninterrupted_run()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.SetInitialRebalanceDelay(TimeSpan.Zero);
        var topics = new TopicOptions();
        foreach (var topic in new[] { topics.Impressions, topics.Clicks, topics.Comments, topics.Items, topics.Features, topics.UserChains, topics.Outcomes, topics.DeadLetters, topics.BatchManifests })
            cluster.CreateTopic(topic, 2);
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 19, Users = 120, ImpressionsPerUser = 40 });
        await using (var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: Ct))
            await new EventStreamProducer(cluster.BootstrapServers, new StreamSerdes(registry.Client, topics)).ProduceAsync(stream, 0, 1, Ct);

        var through = Path.Combine(_dir, "through");
        using (var worker = Start(cluster.BootstrapServers, "through", through))
            Assert.Equal(0, await ExitAsync(worker, TimeSpan.FromMinutes(3)));
        var expected = await BatchesAsync(through);
        Assert.True(expected.Count >= 10, $"the uninterrupted run wrote {expected.Count} batches");

        var crashed = Path.Combine(_dir, "crashed");
        using (var worker = Start(cluster.BootstrapServers, "crashed", crashed))
        {
            // Kill once a few batches are durable: mid-stream, with work in flight.
            var reader = new BatchReader(new LocalDirectoryBatchStore(crashed));
            while ((await reader.ManifestsAsync(Ct)).Count < 3 && !worker.HasExited)
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
