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

    [Fact]
    public async Task A_seed_run_beside_another_gives_what_it_gives_alone()
    {
        using var alone = new ScratchDirectory();
        using var together = new ScratchDirectory();
        var trainer = new AlternatingRoundTrainer(new AlternatingOptions());
        var log = new StringWriter();

        var sequential = await EvalSeries.RunAsync(Stream.Items, Stream.Events, Options(alone.Path, seed: 5), [5, 6], trainer, TextWriter.Null, 100, TestContext.Current.CancellationToken, jobs: 1);
        var parallel = await EvalSeries.RunAsync(Stream.Items, Stream.Events, Options(together.Path, seed: 5), [5, 6], trainer, log, 100, TestContext.Current.CancellationToken, jobs: 2);

        for (var i = 0; i < 2; i++)
        {
            var (a, b) = (sequential.Runs[i], parallel.Runs[i]);
            Assert.Equal(a.Seed, b.Seed);
            Assert.Equal(a.AllRows.Select(r => (r.Name, r.Auc, r.LogLoss, r.ValidatorAuc)), b.AllRows.Select(r => (r.Name, r.Auc, r.LogLoss, r.ValidatorAuc)));
            Assert.Equal(a.Rounds.Select(r => r.Selection), b.Rounds.Select(r => r.Selection));
            Assert.Equal("ok", b.Rounds[1].Status);
        }
        Assert.NotEqual(parallel.Runs[0].Baseline.Auc, parallel.Runs[1].Baseline.Auc); // two seeds, not one twice
        Assert.Equal(sequential.Headline, parallel.Headline);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.Matches("^seed [56]: ", l));
        Assert.Contains(lines, l => l.StartsWith("seed 6: B0: test AUC", StringComparison.Ordinal));
    }
}
