using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Cli.Retraining;
using TrackRec.Streaming.Hosting.Retraining;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Tests.Retraining;

/// <summary>The worker's own retraining: new on-policy batches become a new generator once, and are not trained on twice.</summary>
public sealed class BatchRetrainingServiceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-retrain-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task New_batches_of_the_serving_generator_train_the_next_version_once()
    {
        var demo = new DemoOptions { OutDirectory = Path.Combine(_dir, "demo"), Input = new InputSelection(null, null, Seed: 4, Users: 60, ImpressionsPerUser: 25), MalformedShare = 0, Partitions = 2 };
        var (exitCode, summary) = await DemoRunner.RunAsync(demo, TextWriter.Null, TestContext.Current.CancellationToken);
        Assert.Equal(0, exitCode);
        var models = Path.Combine(demo.OutDirectory, "models");
        BatchRetrainingService Service(int minNewBatches) => new(
            Options.Create(new RetrainingOptions { Enabled = true, MinNewBatches = minNewBatches }),
            Options.Create(new ModelOptions { Directory = models }),
            new LocalDirectoryBatchStore(Path.Combine(demo.OutDirectory, "batches")),
            DpoModelRetrainer.Instance,
            TimeProvider.System,
            NullLogger<BatchRetrainingService>.Instance);
        var service = Service(minNewBatches: 1);

        // Fewer new batches than asked for: wait, train nothing.
        Assert.Null(await Service(minNewBatches: (int)summary!.DpoBatches + 1).RunOnceAsync(TestContext.Current.CancellationToken));
        Assert.Equal("generator-v1", new ModelStore(models).Current(EmbeddedModelFiles.Generator)!.Version);

        var first = await service.RunOnceAsync(TestContext.Current.CancellationToken);
        var second = await service.RunOnceAsync(TestContext.Current.CancellationToken);

        Assert.Equal("generator-v2", first);
        Assert.Null(second); // the batches were used, and none were made by generator-v2 yet
        var card = new ModelStore(models).Current(EmbeddedModelFiles.Generator)!;
        Assert.Equal(summary.DpoRecords, card.Metrics["preference_records"]);
    }

    [Fact]
    public async Task Without_a_generator_to_start_from_there_is_nothing_to_retrain()
    {
        var service = new BatchRetrainingService(
            Options.Create(new RetrainingOptions { Enabled = true, MinNewBatches = 5 }),
            Options.Create(new ModelOptions { Directory = Path.Combine(_dir, "no-models") }),
            new LocalDirectoryBatchStore(Path.Combine(_dir, "no-batches")),
            DpoModelRetrainer.Instance,
            TimeProvider.System,
            NullLogger<BatchRetrainingService>.Instance);

        Assert.Null(await service.RunOnceAsync(TestContext.Current.CancellationToken));
    }
}
