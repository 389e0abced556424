using System.CommandLine;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Training.Dpo;

namespace TrackRec.Streaming.Tests.Commands;

/// <summary>`trackrec train --batches`: the worker's batch files retrain the generator (S-DPO) and the validator.</summary>
[Collection("console error")]
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A demo run whose batches the train command reads.
    private async Task<(DemoOptions Options, DemoSummary Summary)> DemoAsync(string name, int seed)
    {
        var demo = new DemoOptions { OutDirectory = Path.Combine(_dir, name), Input = new InputSelection(null, null, Seed: seed, Users: 60, ImpressionsPerUser: 25), MalformedShare = 0, Partitions = 2 };
        var (exitCode, summary) = await DemoRunner.RunAsync(demo, TextWriter.Null, TestContext.Current.CancellationToken);
        Assert.Equal(0, exitCode);
        Assert.True(summary!.DpoRecords > 0, "the demo wrote no preference records");
        return (demo, summary);
    }

    [Fact]
    public async Task Batches_from_a_demo_run_retrain_the_generator_and_validator_as_new_versions()
    {
        var (demo, summary) = await DemoAsync("demo", seed: 3);
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

        // A batch whose file was changed after its manifest was written is refused, naming the file; the rest train.
        var batches = new LocalDirectoryBatchStore(Path.Combine(demo.OutDirectory, "batches"));
        var manifests = await new BatchReader(batches).ManifestsAsync(TestContext.Current.CancellationToken);
        var victim = manifests[0];
        var file = victim.Files.First(f => f.Format == "sdpo");
        File.AppendAllText(Path.Combine(batches.Location, victim.BatchId, file.Name), "\n");
        var log = new StringWriter();
        var report = await BatchTraining.RunAsync(store, batches, new AlternatingOptions(), log, TestContext.Current.CancellationToken);
        Assert.Equal(1, report.DamagedBatches);
        Assert.Equal(manifests.Count - 1, report.Batches);
        Assert.Contains($"{victim.BatchId}/{file.Name}: content does not match the manifest's SHA-256", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Distil_fits_the_validator_to_the_records_scores_and_leaves_the_generator()
    {
        var (demo, _) = await DemoAsync("distil", seed: 5);
        var models = Path.Combine(demo.OutDirectory, "models");

        var output = new StringWriter();
        var exit = await TrainCommand.Create().Parse(["--batches", Path.Combine(demo.OutDirectory, "batches"), "--models", models, "--distil"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, TestContext.Current.CancellationToken);

        Assert.True(exit == 0, $"exit {exit}: {output}");
        var store = new ModelStore(models);
        Assert.Equal("generator-v1", store.Current(EmbeddedModelFiles.Generator)!.Version);
        var validator = store.Current(EmbeddedModelFiles.Validator)!;
        Assert.Equal(("validator-v2", "generator-v1"), (validator.Version, validator.ParentVersion));
        // The student ranks the teacher's upper half of verdicts above its lower half better than chance. It sees the
        // history as of the chain's generation, the teacher saw it as of the outcome, so agreement is partial (0.56 here).
        Assert.True(validator.Metrics["validation_auc"] > 0.52, $"distilled validator AUC against its teacher {validator.Metrics["validation_auc"]}");
        EmbeddedModelSet.Load(store);
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

    [Theory]
    [InlineData("scratch", false)]
    [InlineData("minilm", true)]
    public async Task The_encoder_option_chooses_between_an_adapter_on_minilm_and_an_encoder_trained_from_scratch(string encoder, bool adapted)
    {
        var models = Path.Combine(_dir, "models-" + encoder);
        var output = new StringWriter();
        var saved = Console.Out;
        int exit;
        try
        {
            Console.SetOut(output);
            exit = await TrainCommand.Create().Parse(["--users", "40", "--impressions-per-user", "20", "--models", models, "--encoder", encoder])
                .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, TestContext.Current.CancellationToken);
        }
        finally
        {
            Console.SetOut(saved);
        }

        Assert.True(exit == 0, output.ToString());
        var card = new ModelStore(models).Current(EmbeddedModelFiles.Encoder)!;
        Assert.Equal(adapted, card.Settings.ContainsKey(Models.Onnx.AdaptedTextEncoder.BaseSetting));
    }

    [Fact]
    public async Task An_unknown_encoder_stops_with_exit_code_2_naming_the_option()
    {
        var error = new StringWriter();
        var saved = Console.Error;
        int exit;
        try
        {
            Console.SetError(error);
            exit = await TrainCommand.Create().Parse(["--encoder", "bge"])
                .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }, TestContext.Current.CancellationToken);
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Equal(2, exit);
        Assert.Contains("--encoder", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-clicks", "was clicked")]
    [InlineData("empty", "holds no impressions, clicks or comments")]
    [InlineData("no-categories", "no categories")]
    public async Task Training_on_events_it_cannot_learn_from_exits_3_with_one_sentence(string shape, string names)
    {
        var file = Demo.DegenerateStream.Write(_dir, shape);
        var output = new StringWriter();
        var (savedOut, savedError) = (Console.Out, Console.Error);
        int exit;
        try
        {
            Console.SetOut(output); // the command reports on the console's streams
            Console.SetError(output);
            exit = await TrainCommand.Create().Parse(["--events", file, "--models", Path.Combine(_dir, "models-" + shape)])
                .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, TestContext.Current.CancellationToken);
        }
        finally
        {
            Console.SetOut(savedOut);
            Console.SetError(savedError);
        }

        Assert.Equal(3, exit);
        var last = output.ToString().TrimEnd().Split('\n')[^1];
        Assert.StartsWith("cannot train the models on events file", last, StringComparison.Ordinal);
        Assert.Contains(names, last, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output.ToString(), StringComparison.Ordinal);
    }
}
