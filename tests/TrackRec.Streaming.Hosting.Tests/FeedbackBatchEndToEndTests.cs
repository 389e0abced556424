using Confluent.SchemaRegistry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Inputs;
using Xunit;
using TrackRec.Streaming.Kafka.Embedded.Registry;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>Training records of a bounded run end up in verified batch files, each announced once on the manifest topic.</summary>
public sealed class FeedbackBatchEndToEndTests
{
    [Fact]
    public async Task Every_training_record_lands_in_a_verified_batch_announced_on_the_manifest_topic()
    {
        using var cluster = WorkerHarness.StartCluster(partitions: 2);
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: WorkerHarness.Ct);
        await RunAsync(cluster.BootstrapServers, registry.Url);
    }

    /// <summary>The scenario on any broker and registry (the Testcontainers test runs it on real ones).</summary>
    internal static async Task RunAsync(string bootstrap, Uri registryUrl)
    {
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registryUrl.ToString() });
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 41, Users = 20, ImpressionsPerUser = 12 });
        await WorkerHarness.ProduceAsync(bootstrap, registry, stream, 0, seed: 1);

        using var host = WorkerHarness.BuildHost(bootstrap, registryUrl, "batches", stopAtEnd: true, workerId: "batches",
            new Dictionary<string, string?>
            {
                ["TrackRec:Feedback:MinLabels"] = "2",
                ["TrackRec:Feedback:Batches:MaxRecords"] = "50",
            });
        await WorkerHarness.RunBoundedAsync(host, TimeSpan.FromSeconds(60));

        var pipeline = host.Services.GetRequiredService<PipelineCounters>();
        var stats = host.Services.GetRequiredService<StreamCounters>();
        Assert.True(pipeline.ValidatorRecords > 0 && pipeline.PreferenceRecords > 0, $"{pipeline.ValidatorRecords} validator, {pipeline.PreferenceRecords} preference records");
        Assert.Equal((pipeline.PreferenceRecords, pipeline.ValidatorRecords), (stats.PreferenceRecordsWritten, stats.ValidatorRecordsWritten));

        var reader = new BatchReader(host.Services.GetRequiredService<IBatchStore>());
        var manifests = await reader.ManifestsAsync(WorkerHarness.Ct);
        Assert.Equal(stats.BatchesWritten, manifests.Count);
        Assert.All(manifests, m => Assert.InRange(m.PreferenceRecords + m.ValidatorRecords, 1, 50));
        foreach (var manifest in manifests)
            Assert.Empty(await reader.VerifyAsync(manifest, WorkerHarness.Ct));
        var validatorKeys = new List<string>();
        var generations = new List<string>();
        foreach (var manifest in manifests)
        {
            validatorKeys.AddRange((await reader.ValidatorRecordsAsync(manifest, WorkerHarness.Ct)).Select(v => v.Key));
            generations.AddRange((await reader.PreferencesAsync(manifest, WorkerHarness.Ct)).Select(p => p.GenerationId));
            Assert.All(manifest.InputRanges, r => Assert.Equal(WorkerHarness.Topics.Impressions, r.Topic));
        }
        Assert.Equal(validatorKeys.Count, validatorKeys.Distinct().Count());
        Assert.Equal(generations.Count, generations.Distinct().Count());
        Assert.Equal(pipeline.ValidatorRecords, validatorKeys.Count);

        var announced = WorkerHarness.ReadTopic(bootstrap, WorkerHarness.Topics.BatchManifests);
        var serde = new ContractSerdes(registry).BatchManifests(WorkerHarness.Topics.BatchManifests);
        var published = new List<PublishedManifest>();
        foreach (var record in announced)
            published.Add(await serde.DeserializeAsync(record.Message.Value!, WorkerHarness.Ct));
        Assert.Equal(manifests.Select(m => m.BatchId).Order(StringComparer.Ordinal), published.Select(p => p.Manifest.BatchId).Order(StringComparer.Ordinal));
        Assert.All(announced, r => Assert.Equal(WorkerHarness.KeyOf(r), published[announced.IndexOf(r)].Manifest.BatchId));
        var batchRoot = host.Services.GetRequiredService<IOptions<BatchOptions>>().Value.Directory;
        Assert.All(published, p => Assert.Equal(Path.Combine(Path.GetFullPath(batchRoot), p.Manifest.BatchId), p.Location));
    }
}
