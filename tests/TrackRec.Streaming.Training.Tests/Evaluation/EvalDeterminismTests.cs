using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.Tests.Encoder;
using TrackRec.Streaming.Training.Ctr;
using TrackRec.Streaming.Training.Dpo;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Tests.Evaluation;

/// <summary>The same seed gives the same evaluation, to the last digit, also when the output directory is reused.</summary>
public sealed class EvalDeterminismTests
{
    private static readonly EventStream Stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 29, Users = 40, ImpressionsPerUser = 24 });

    private static EvalOptions Options(string models, int seed) => new()
    {
        Source = "simulator seed 29",
        ModelDirectory = models,
        Rounds = 1,
        Seed = seed,
        Ctr = new CtrTrainingOptions { Epochs = 2, BatchSize = 128 },
        Ablations = false,
    };

    [Fact]
    public async Task The_same_seed_gives_the_same_aucs_run_after_run_in_the_same_directory()
    {
        using var dir = new ScratchDirectory();
        var trainer = new AlternatingRoundTrainer(new AlternatingOptions());

        var first = await EvalRunner.RunAsync(Stream.Items, Stream.Events, Options(dir.Path, seed: 5), trainer, TextWriter.Null, TestContext.Current.CancellationToken);
        var second = await EvalRunner.RunAsync(Stream.Items, Stream.Events, Options(dir.Path, seed: 5), trainer, TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.Equal(first.Baseline.Auc, second.Baseline.Auc);
        Assert.Equal(first.Baselines.Select(r => (r.Name, r.Auc)), second.Baselines.Select(r => (r.Name, r.Auc))); // B2 reads the MiniLM content vectors
        Assert.NotNull(first.Rounds[0].Selection);
        Assert.Equal(first.Rounds.Select(r => r.Selection), second.Rounds.Select(r => r.Selection));
        Assert.Equal("ok", second.Rounds[1].Status);
        Assert.Equal(first.Rounds.Select(r => (r.Auc, r.ValidatorAuc, r.LogLoss)), second.Rounds.Select(r => (r.Auc, r.ValidatorAuc, r.LogLoss)));
        Assert.Equal(first.Rounds.Select(r => r.Versions), second.Rounds.Select(r => r.Versions));
    }
}
