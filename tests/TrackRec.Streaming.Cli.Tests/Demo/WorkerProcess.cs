using System.Diagnostics;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;

namespace TrackRec.Streaming.Tests.Demo;

/// <summary>
/// `trackrec run` as a child process against a cluster, bounded and in deterministic lanes, so a test can kill it
/// for real (kill -9) and start it again; plus the batch directory as the audits read it.
/// </summary>
internal static class WorkerProcess
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Process Start(string bootstrap, string group, string batches, string models, params string[] extra)
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
            $"TrackRec:Models:Directory={models}",
            "TrackRec:Models:ReloadInterval=00:00:00",
            $"TrackRec:Feedback:Batches:Directory={batches}",
            "TrackRec:Feedback:Batches:MaxRecords=40",
            "TrackRec:Health:Port=0",
            "Logging:LogLevel:Default=Warning",
        }.Concat(extra))
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

    public static async Task<int> ExitAsync(Process process, TimeSpan timeout)
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

    /// <summary>A fresh embedded cluster with the worker's topics (2 partitions each) holding <paramref name="stream"/>.</summary>
    public static async Task<EmbeddedKafkaCluster> ClusterWithAsync(EventStream stream)
    {
        var cluster = EmbeddedKafkaCluster.Start();
        cluster.SetInitialRebalanceDelay(TimeSpan.Zero);
        var topics = new TopicOptions();
        foreach (var topic in new[] { topics.Impressions, topics.Clicks, topics.Comments, topics.Items, topics.Features, topics.UserChains, topics.Outcomes, topics.DeadLetters, topics.BatchManifests })
            cluster.CreateTopic(topic, 2);
        await using (var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: Ct))
            await new EventStreamProducer(cluster.BootstrapServers, new StreamSerdes(registry.Client, topics)).ProduceAsync(stream, 0, 1, Ct);
        return cluster;
    }

    /// <summary>kill -9 (SIGKILL of the whole tree), waited for.</summary>
    public static async Task KillAsync(Process process)
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync(Ct);
    }

    /// <summary>Every batch with a manifest: id to its files' names and hashes; each must verify against its manifest.</summary>
    public static async Task<Dictionary<string, string[]>> BatchesAsync(string dir)
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

    /// <summary>Manifests written so far (a poll of another process's files).</summary>
    public static async Task<int> ManifestCountAsync(string dir) =>
        (await new BatchReader(new LocalDirectoryBatchStore(dir)).ManifestsAsync(Ct)).Count;
}
