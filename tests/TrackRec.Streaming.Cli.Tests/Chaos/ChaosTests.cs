using System.Diagnostics;
using Confluent.Kafka;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.Tests.Demo;

namespace TrackRec.Streaming.Tests.Chaos;

/// <summary>
/// The fault suite: `trackrec run` child processes (deterministic lanes) on the embedded Kafka, killed with
/// SIGKILL at seeded points or run through broker faults, restarted as a supervisor would until the stream is
/// done; then every output is audited against an uninterrupted reference run of the same stream: each impression
/// has a feature key and an outcome key (duplicates by key counted: at least once), every batch of the reference
/// exists with the same bytes and verifies against its manifest, and no batch appears that the reference lacks.
/// CI runs a reduced size; the full run is
/// <c>TRACKREC_CHAOS_CRASHES=20 TRACKREC_CHAOS_OUT=out/chaos dotnet test tests/TrackRec.Streaming.Cli.Tests -c Release --filter FullyQualifiedName~ChaosTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class ChaosTests(TrainedModelsFixture models) : IDisposable, IClassFixture<TrainedModelsFixture>
{
    private static readonly TopicOptions Topics = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-chaos-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;

    private static int Seed => Setting("TRACKREC_CHAOS_SEED", 20261130);

    [Fact]
    public async Task Seeded_kills_lose_nothing_and_rewrite_the_batches_of_an_uninterrupted_run()
    {
        var crashes = Setting("TRACKREC_CHAOS_CRASHES", 3);
        var stream = Stream();
        var impressions = ImpressionIds(stream);
        var expected = await ReferenceAsync(stream);
        using var cluster = await WorkerProcess.ClusterWithAsync(stream);

        var clock = Stopwatch.StartNew();
        var random = new Random(Seed);
        var batches = Path.Combine(_dir, "crashed");
        var faults = new List<string>();
        for (var i = 0; i < crashes; i++)
        {
            using var worker = WorkerProcess.Start(cluster.BootstrapServers, "crashed", batches, models.Directory);
            var point = random.Next(3);
            var started = Stopwatch.StartNew();
            var manifests = await WorkerProcess.ManifestCountAsync(batches);
            var leftovers = TemporaryFiles(batches); // what earlier kills left half-written: not this run's writes
            // Poll another process's files: nothing in this process can be signalled by it.
            switch (point)
            {
                case 0: // early: state warm-up re-reads the partitions from the start on every restart
                    await WaitAsync(worker, () => Task.FromResult(started.ElapsedMilliseconds >= random.Next(200, 2500)));
                    break;
                case 1: // right after a batch became durable: produced, its offsets about to be committed
                    await WaitAsync(worker, async () => await WorkerProcess.ManifestCountAsync(batches) > manifests);
                    break;
                default: // mid batch write: a file is being written under its temporary name
                    await WaitAsync(worker, () => Task.FromResult(TemporaryFiles(batches).Except(leftovers).Any()));
                    break;
            }
            if (worker.HasExited)
            {
                faults.Add($"run {i}: finished before its kill point ({Name(point)})");
                continue;
            }
            await WorkerProcess.KillAsync(worker);
            faults.Add($"kill -9 #{i} {Name(point)} after {started.Elapsed.TotalSeconds:F1}s");
        }
        await SuperviseAsync(cluster.BootstrapServers, "crashed", batches);

        var report = await AuditAsync("crashes", faults.Where(f => f.StartsWith("kill", StringComparison.Ordinal)).ToList(), impressions, expected, cluster.BootstrapServers, batches, clock.Elapsed);
        Assert.True(report.FaultsInjected >= Math.Min(crashes, 1), "no kill landed: the stream is too short for this machine");
        Assert.True(report.Clean, report.ToString());
    }

    [Fact]
    public async Task Broker_faults_and_a_second_worker_lose_nothing()
    {
        var stream = Stream();
        var impressions = ImpressionIds(stream);
        var expected = await ReferenceAsync(stream);
        using var cluster = await WorkerProcess.ClusterWithAsync(stream);

        var clock = Stopwatch.StartNew();
        var batches = Path.Combine(_dir, "faults");
        var faults = new List<string>();
        var workers = new List<Process> { WorkerProcess.Start(cluster.BootstrapServers, "faults", batches, models.Directory) };
        try
        {
            await WaitAsync(workers[0], async () => await WorkerProcess.ManifestCountAsync(batches) >= 1);
            Inject(faults, "round-trip time 300 ms", () => cluster.SetBrokerRoundTripTime(EmbeddedKafkaCluster.AllBrokers, TimeSpan.FromMilliseconds(300)));
            Inject(faults, "Produce: 3 retriable errors", () => cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut, ErrorCode.NotEnoughReplicas));
            Inject(faults, "Fetch: 2 retriable errors", () => cluster.PushRequestErrors(KafkaApiKey.Fetch, ErrorCode.NotLeaderForPartition, ErrorCode.UnknownTopicOrPart));
            Inject(faults, "OffsetCommit: 2 retriable errors", () => cluster.PushRequestErrors(KafkaApiKey.OffsetCommit, ErrorCode.RebalanceInProgress, ErrorCode.NotCoordinatorForGroup));
            Inject(faults, "JoinGroup: 1 error", () => cluster.PushRequestErrors(KafkaApiKey.JoinGroup, ErrorCode.GroupCoordinatorNotAvailable));
            Inject(faults, "round-trip time back to 0", () => cluster.SetBrokerRoundTripTime(EmbeddedKafkaCluster.AllBrokers, TimeSpan.Zero));
            workers.Add(WorkerProcess.Start(cluster.BootstrapServers, "faults", batches, models.Directory));
            faults.Add("second worker joins");
            await WaitAsync(workers[0], async () => await WorkerProcess.ManifestCountAsync(batches) >= 3);
            Inject(faults, "broker down", () => cluster.SetBrokerDown(1));
            await Task.Delay(TimeSpan.FromSeconds(2), Ct); // the outage itself: how long the broker stays away
            Inject(faults, "broker up", () => cluster.SetBrokerUp(1));
            await WorkerProcess.KillAsync(workers[1]);
            faults.Add("second worker leaves (killed)");
            Inject(faults, "Produce: 1 fatal error (authorization)", () => cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed));
            // Whatever the first worker made of it (recovered, or stopped uncommitted), a supervisor restarts it.
            await WorkerProcess.ExitAsync(workers[0], TimeSpan.FromMinutes(3));
        }
        finally
        {
            foreach (var w in workers.Where(w => !w.HasExited))
                await WorkerProcess.KillAsync(w);
            foreach (var w in workers)
                w.Dispose();
        }
        await SuperviseAsync(cluster.BootstrapServers, "faults", batches);

        var report = await AuditAsync("broker-faults", faults, impressions, expected, cluster.BootstrapServers, batches, clock.Elapsed);
        Assert.True(report.Clean, report.ToString());
    }

    private static HashSet<string> TemporaryFiles(string batches) =>
        Directory.Exists(batches) ? Directory.EnumerateFiles(batches, "*.tmp-*", SearchOption.AllDirectories).ToHashSet(StringComparer.Ordinal) : [];

    private static string Name(int point) => point switch { 0 => "early (warm-up)", 1 => "after a batch (produce, commit)", _ => "mid batch write" };

    private static void Inject(List<string> faults, string name, Action fault)
    {
        fault();
        faults.Add(name);
    }

    // MovieLens-shaped in miniature: many users with long histories, so batches are cut all along the stream.
    private static EventStream Stream() =>
        StreamSimulator.Generate(new SimulatorOptions { Seed = 23, Users = Setting("TRACKREC_CHAOS_USERS", 120), ImpressionsPerUser = 40 });

    private static HashSet<string> ImpressionIds(EventStream stream) =>
        stream.Events.OfType<Impression>().Select(i => i.ImpressionId).ToHashSet(StringComparer.Ordinal);

    // The reference runs on a cluster of its own, so the audited cluster's output topics and group offsets hold
    // only what the audited run did.
    private async Task<Dictionary<string, string[]>> ReferenceAsync(EventStream stream)
    {
        using var cluster = await WorkerProcess.ClusterWithAsync(stream);
        var through = Path.Combine(_dir, "through");
        using (var worker = WorkerProcess.Start(cluster.BootstrapServers, "through", through, models.Directory))
            Assert.Equal(0, await WorkerProcess.ExitAsync(worker, TimeSpan.FromMinutes(3)));
        return await WorkerProcess.BatchesAsync(through);
    }

    // A supervisor: start the worker again until a run ends cleanly (bounded runs exit 0 at the end of the stream).
    private async Task SuperviseAsync(string bootstrap, string group, string batches)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var worker = WorkerProcess.Start(bootstrap, group, batches, models.Directory);
            if (await WorkerProcess.ExitAsync(worker, TimeSpan.FromMinutes(3)) == 0)
                return;
        }
        Assert.Fail("the worker did not finish the stream in 5 supervised restarts");
    }

    private static async Task WaitAsync(Process worker, Func<Task<bool>> until)
    {
        var limit = Stopwatch.StartNew();
        while (!worker.HasExited && !await until())
        {
            Assert.True(limit.Elapsed < TimeSpan.FromMinutes(3), "the kill point was never reached");
            await Task.Delay(10, Ct);
        }
    }

    private async Task<ChaosReport> AuditAsync(string scenario, IReadOnlyList<string> faults, HashSet<string> impressions, Dictionary<string, string[]> expected, string bootstrap, string batches, TimeSpan elapsed)
    {
        var report = ChaosReport.Audit(scenario, Seed, faults, impressions,
            TopicKeys.Read(bootstrap, Topics.Features), TopicKeys.Read(bootstrap, Topics.Outcomes),
            expected, await WorkerProcess.BatchesAsync(batches), elapsed);
        var path = report.Write(_dir);
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine(report.ToString());
        foreach (var fault in faults)
            output?.WriteLine($"  {fault}");
        output?.WriteLine($"  written to {path}");
        return report;
    }
}
