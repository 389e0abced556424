using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.Training.Bootstrap;
using TrackRec.Streaming.Training.Dpo;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Tests.Dpo;

/// <summary>One alternating round on a simulated stream: the worker's preference records update G, V is retrained on the new G.</summary>
public sealed class AlternatingRoundTrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-rounds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_round_publishes_a_generator_trained_on_preferences_and_a_validator_on_its_chains()
    {
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 13, Users = 50, ImpressionsPerUser = 30 });
        var store = new ModelStore(_dir);
        EmbeddedBootstrap.Run(store, stream.Items, stream.Events, new BootstrapOptions { Source = "simulator seed 13" });
        var trainer = new AlternatingRoundTrainer(new AlternatingOptions { Dpo = new PolicyDpoOptions { Epochs = 2 } });

        var first = await trainer.RunAsync(store, stream.Items, stream.Events, "simulator seed 13", TestContext.Current.CancellationToken);
        var second = await trainer.RunAsync(store, stream.Items, stream.Events, "simulator seed 13", TestContext.Current.CancellationToken);

        Assert.Equal(("generator-v1", "generator-v2", "validator-v2"), (first.ReferenceGenerator, first.Generator, first.Validator));
        Assert.Equal(("generator-v2", "generator-v3", "validator-v3"), (second.ReferenceGenerator, second.Generator, second.Validator));
        Assert.Equal("generator-v3", store.Current(EmbeddedModelFiles.Generator)!.Version);
        var validator = store.Current(EmbeddedModelFiles.Validator)!;
        Assert.Equal("generator-v3", validator.ParentVersion); // V learnt on the chains of the G it serves with
        Assert.Equal("generator-v2", store.Current(EmbeddedModelFiles.Generator)!.ParentVersion);
        Assert.True(first.PreferenceRecords > 20, $"{first.PreferenceRecords} preference records");
        Assert.True(first.MeanRewardMargin > 0);
        Assert.True(first.Dpo.TrainLoss < first.Dpo.InitialLoss, $"S-DPO loss {first.Dpo.InitialLoss} -> {first.Dpo.TrainLoss}");
        Assert.Equal(0, first.Dpo.Skipped); // every record's chains were found among the reference's candidates
        Assert.True(EmbeddedModelSet.IsComplete(store));
    }

    [Fact]
    public async Task An_evaluation_round_makes_preference_records_at_the_evaluation_s_MinLabels()
    {
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 13, Users = 50, ImpressionsPerUser = 30 });
        var trainer = new AlternatingRoundTrainer(new AlternatingOptions { Dpo = new PolicyDpoOptions { Epochs = 1 } });

        async Task<int> RecordsAt(int? minLabels)
        {
            var store = new ModelStore(Path.Combine(_dir, $"min-{minLabels}"));
            EmbeddedBootstrap.Run(store, stream.Items, stream.Events, new BootstrapOptions { Source = "simulator seed 13" });
            var train = new EvalData("simulator seed 13", stream.Items, stream.Events, [], stream.Events[^1].EventTime, 13) { MinLabels = minLabels };
            return (await trainer.TrainRoundAsync(1, train, store, TestContext.Current.CancellationToken)).PreferencePairs!.Value;
        }

        // A generation needs more outcomes before it is judged, so fewer generations become records.
        var trainerDefault = await RecordsAt(null);
        var three = await RecordsAt(3);
        var eight = await RecordsAt(8);
        Assert.Equal(trainerDefault, three); // AlternatingOptions.MinLabels is 3 too
        Assert.InRange(eight, 1, three - 1);
    }

    [Fact]
    public async Task With_RealignEncoder_a_round_also_retrains_the_encoder_and_without_it_keeps_it()
    {
        var stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 13, Users = 50, ImpressionsPerUser = 30 });
        var store = new ModelStore(_dir);
        EmbeddedBootstrap.Run(store, stream.Items, stream.Events, new BootstrapOptions { Source = "simulator seed 13" });
        var dpo = new PolicyDpoOptions { Epochs = 1 };

        await new AlternatingRoundTrainer(new AlternatingOptions { Dpo = dpo }).RunAsync(store, stream.Items, stream.Events, "s", TestContext.Current.CancellationToken);
        Assert.Equal("encoder-v1", store.Current(EmbeddedModelFiles.Encoder)!.Version);

        await new AlternatingRoundTrainer(new AlternatingOptions { Dpo = dpo, RealignEncoder = true }).RunAsync(store, stream.Items, stream.Events, "s", TestContext.Current.CancellationToken);
        var encoder = store.Current(EmbeddedModelFiles.Encoder)!;
        Assert.Equal("encoder-v2", encoder.Version);
        Assert.True(AdaptedTextEncoder.IsAdapter(encoder)); // the same kind as the version it replaces
        Assert.NotEqual(store.ReadJson<EncoderAdapterWeights>(store.Load(EmbeddedModelFiles.Encoder, "encoder-v1"), AdaptedTextEncoder.AdapterFile).Weight, store.ReadJson<EncoderAdapterWeights>(encoder, AdaptedTextEncoder.AdapterFile).Weight);
        Assert.True(EmbeddedModelSet.IsComplete(store));
    }
}
