using System.CommandLine;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Tests.Commands;

/// <summary>`trackrec train --batches`: the worker's batch files retrain the generator (S-DPO) and the validator.</summary>
[Collection("console error")]
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Batches_from_a_demo_run_retrain_the_generator_and_validator_as_new_versions()
    {
        var demo = new DemoOptions { OutDirectory = Path.Combine(_dir, "demo"), Input = new InputSource(null, null, Seed: 3, Users: 60, ImpressionsPerUser: 25), MalformedShare = 0, Partitions = 2 };
        var (exitCode, summary) = await DemoRunner.RunAsync(demo, TextWriter.Null, TestContext.Current.CancellationToken);
        Assert.Equal(0, exitCode);
        Assert.True(summary!.DpoRecords > 0, "the demo wrote no preference records");
        var models = Path.Combine(demo.OutDirectory, "models");

        var output = new StringWriter();
        var exit = await TrainCommand.Create().Parse(["--batches", Path.Combine(demo.OutDirectory, "batches"), "--models", models])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        var store = new ModelStore(models);
        var generator = store.Current(EmbeddedModelFiles.Generator)!;
        Assert.Equal(("generator-v2", "generator-v1"), (generator.Version, generator.ParentVersion));
        Assert.Equal(summary.DpoRecords, generator.Metrics["preference_records"]);
        Assert.True(generator.Metrics["train_loss"] < generator.Metrics["initial_loss"]);
        Assert.Equal(summary.DpoBatches, generator.Settings["batches"].Split(',').Length);
        Assert.True(EmbeddedModelSet.IsComplete(store));
        EmbeddedModelSet.Load(store); // the new version serves
    }

    [Fact]
    public async Task A_missing_batch_directory_stops_with_exit_code_2_naming_the_option()
    {
        var error = new StringWriter();
        var saved = Console.Error;
        int exit;
        try
        {
            Console.SetError(error); // the command reports bad options on the console's error stream
            exit = await TrainCommand.Create().Parse(["--batches", Path.Combine(_dir, "absent")])
                .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }, TestContext.Current.CancellationToken);
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Equal(2, exit);
        Assert.Contains("--batches", error.ToString(), StringComparison.Ordinal);
    }
}
