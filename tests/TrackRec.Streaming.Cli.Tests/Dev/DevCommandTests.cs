using System.Diagnostics;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Tests.Demo;

namespace TrackRec.Streaming.Tests.Dev;

/// <summary>
/// `trackrec dev` as a user runs it: a child process that stays up, on the ports asked for, read from this
/// process over TCP by a plain Kafka consumer and Confluent's registry client, replayed by a `trackrec replay`
/// process, then stopped with Ctrl-C (SIGINT).
/// </summary>
public sealed class DevCommandTests(TrainedModelsFixture models) : IDisposable, IClassFixture<TrainedModelsFixture>
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-dev-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dev_serves_decodable_features_to_an_outside_client_until_ctrl_c()
    {
        var (dev, kafka, registry) = await DevProcess.StartStackAsync(models.Directory, _dir, Ct);
        using var _ = dev;
        try
        {
            Assert.Matches(@"^127\.0\.0\.1:\d+$", kafka);
            Assert.Matches(@"^http://127\.0\.0\.1:\d+$", registry);

            var features = await ReadFeaturesAsync(kafka, registry, count: 5, TimeSpan.FromSeconds(120));

            Assert.Equal(5, features.Select(f => f.Feature.ImpressionId).Distinct().Count());
            Assert.All(features, f =>
            {
                Assert.Equal(f.Key, f.Feature.ImpressionId); // the output key is the impression id
                Assert.StartsWith("sim-", f.Feature.ImpressionId, StringComparison.Ordinal);
                Assert.False(string.IsNullOrEmpty(f.Feature.UserId));
                Assert.False(string.IsNullOrEmpty(f.Feature.ItemId));
                Assert.NotEqual(default, f.Feature.ImpressionTime);
            });
            Assert.False(dev.HasExited, "dev must stay up until Ctrl-C");

            // A replay from "another terminal": its own process, pointed at dev's addresses.
            var replayDone = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            using var replay = DevProcess.Start(
                ["replay", "--job", "dev-test", "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--warmup", "0", "--time-index", "scan",
                 "--models", models.Directory, "--set", $"TrackRec:Kafka:BootstrapServers={kafka}", "--set", $"TrackRec:Kafka:SchemaRegistryUrl={registry}",
                 "--set", $"TrackRec:Feedback:Batches:Directory={Path.Combine(_dir, "replay-batches")}"],
                line => { if (line.StartsWith("replay dev-test done:", StringComparison.Ordinal)) replayDone.TrySetResult(line); }, "replay");
            using (var replayLimit = CancellationTokenSource.CreateLinkedTokenSource(Ct))
            {
                replayLimit.CancelAfter(TimeSpan.FromSeconds(120));
                await replay.WaitForExitAsync(replayLimit.Token);
            }
            Assert.Equal(0, replay.ExitCode);
            Assert.Matches(@"done: [\d,]+ records read, [1-9][\d,]* features", await replayDone.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct));
        }
        finally
        {
            Assert.Equal(0, await DevProcess.StopAsync(dev, Ct));
        }
    }

    private static async Task<List<(string Key, ChainFeature Feature)>> ReadFeaturesAsync(string bootstrap, string registry, int count, TimeSpan timeout)
    {
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry });
        var serde = new ContractSerdes(client).ChainFeatures("trackrec.features");
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "dev-test-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe("trackrec.features");
        var read = new List<(string, ChainFeature)>();
        var clock = Stopwatch.StartNew();
        while (read.Count < count)
        {
            Assert.True(clock.Elapsed < timeout, $"only {read.Count} features within {timeout.TotalSeconds:F0}s");
            var result = consumer.Consume(TimeSpan.FromMilliseconds(500));
            if (result is null)
                continue;
            read.Add((result.Message.Key, await serde.DeserializeAsync(result.Message.Value, Ct)));
        }
        consumer.Close();
        return read;
    }
}
