using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.Tests.Encoder;
using TrackRec.Streaming.Training.Ctr;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Tests.Evaluation;

public sealed class EvalRunnerTests
{
    private static readonly EventStream Stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 23, Users = 50, ImpressionsPerUser = 24 });

    private static EvalOptions Options(string models, int rounds) => new()
    {
        Source = "simulator seed 23",
        ModelDirectory = models,
        Rounds = rounds,
        Ctr = new CtrTrainingOptions { Epochs = 2, BatchSize = 128 },
        Ablations = false,
    };

    [Fact]
    public async Task Round_zero_models_are_trained_before_the_split_and_rounds_without_a_trainer_are_not_run()
    {
        using var dir = new ScratchDirectory();

        var report = await EvalRunner.RunAsync(Stream.Items, Stream.Events, Options(dir.Path, rounds: 2), roundTrainer: null, TextWriter.Null, TestContext.Current.CancellationToken);

        var store = new ModelStore(dir.Path);
        foreach (var role in EmbeddedModelFiles.Roles)
        {
            var card = store.Current(role)!;
            Assert.True(card.TrainingData.To < report.SplitTime, $"{role} trained up to {card.TrainingData.To:O}, split at {report.SplitTime:O}");
        }
        Assert.Equal("ok", report.Baseline.Status);
        Assert.False(report.Baseline.ChainFeatures);
        Assert.NotNull(report.Baseline.Auc);
        Assert.Equal(3, report.Rounds.Count);
        var round0 = report.Rounds[0];
        Assert.Equal("ok", round0.Status);
        Assert.True(round0.ChainFeatures);
        Assert.NotNull(round0.Auc);
        Assert.NotNull(round0.ValidatorAuc);
        Assert.Null(round0.MeanChosenRejectedMargin);
        Assert.Equal(report.TrainImpressions + report.TestImpressions, round0.Generations + round0.CacheHits);
        Assert.True(round0.CacheHits > 0, "chains are reused while fresh, as the worker does");
        Assert.All(report.Rounds.Skip(1), r => Assert.Equal(EvalRunner.NotRun, r.Status));
        Assert.All(report.Rounds.Skip(1), r => Assert.Null(r.Auc));
    }

    [Fact]
    public async Task A_registered_round_trainer_gets_only_the_train_part_and_its_roles_make_the_next_features()
    {
        using var dir = new ScratchDirectory();
        var trainer = new RecordingRoundTrainer();

        var report = await EvalRunner.RunAsync(Stream.Items, Stream.Events, Options(dir.Path, rounds: 1), trainer, TextWriter.Null, TestContext.Current.CancellationToken);

        var call = Assert.Single(trainer.Calls);
        Assert.Equal(1, call.Round);
        Assert.Equal(report.TrainImpressions, call.Train.Impressions.Count);
        Assert.All(call.Train.Impressions, i => Assert.True(i.Labelled.Time < report.SplitTime));
        Assert.All(call.Train.Events, e => Assert.True(e.EventTime < report.SplitTime));
        Assert.Contains(call.Train.Impressions, i => i.Chain is not null && i.ValidatorScore is not null);
        var round1 = report.Rounds[1];
        Assert.Equal("ok", round1.Status);
        Assert.Equal(0.25, round1.MeanChosenRejectedMargin);
        Assert.NotNull(round1.ValidatorAuc);
        Assert.Equal(report.Rounds[0].Versions, round1.Versions); // the fake trainer published nothing new
        Assert.Equal(1.0, round1.RoundMetrics!["calls"]);
    }

    private sealed class RecordingRoundTrainer : IRoundTrainer
    {
        public List<(int Round, EvalData Train)> Calls { get; } = [];

        public Task<RoundResult> TrainRoundAsync(int round, EvalData train, ModelStore store, CancellationToken ct)
        {
            Calls.Add((round, train));
            return Task.FromResult(new RoundResult(null, 0.25) { Metrics = new Dictionary<string, double> { ["calls"] = Calls.Count } });
        }
    }
}
