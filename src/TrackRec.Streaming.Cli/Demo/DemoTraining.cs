using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.Training.Bootstrap;

namespace TrackRec.Streaming.Cli.Demo;

/// <summary>
/// The demo's models: the ones already in the model directory, or, when it has none, models trained on
/// the stream's warm-up share (the earliest events). Either way the demo evaluates the validator and the
/// selection only on impressions after the training data.
/// </summary>
internal static class DemoTraining
{
    public static async Task<(DateTimeOffset EvaluateFrom, TrainingSummary? Summary)> EnsureModelsAsync(ModelStore store, EventStream stream, string inputName, DemoOptions options, TextWriter output)
    {
        if (EmbeddedModelSet.IsComplete(store))
        {
            var trainedTo = EmbeddedModelFiles.Roles.Max(role => store.Current(role)!.TrainingData.To);
            await output.WriteLineAsync($"models: using {store.Root} (trained on events up to {trainedTo:u})").ConfigureAwait(false);
            return (trainedTo, null);
        }

        var warmup = stream.Events.Take((int)(stream.Events.Count * options.WarmupShare)).ToList();
        if (stream.Events.Count == 0)
            throw new InsufficientTrainingDataException($"the input has no impressions, clicks or comments (only {stream.Items.Count} catalog items)");
        if (warmup.Count == 0)
            throw new InsufficientTrainingDataException($"the first {options.WarmupShare:P0} of the stream's {stream.Events.Count} events (--warmup-share) holds none to train on");
        await output.WriteLineAsync($"models: none in {store.Root}; training on the first {warmup.Count:N0} events ({options.WarmupShare:P0} of the stream)...").ConfigureAwait(false);
        var report = EmbeddedBootstrap.Run(store, stream.Items, warmup, new BootstrapOptions { Source = $"{inputName} (demo warm-up)", Seed = options.Input.Seed });
        foreach (var card in report.Cards)
        {
            var metrics = string.Join(", ", card.Metrics.Select(kv => $"{kv.Key} {kv.Value:G4}"));
            await output.WriteLineAsync($"  {card.Version,-14} {metrics}").ConfigureAwait(false);
        }
        await output.WriteLineAsync($"  trained in {report.Elapsed.TotalSeconds:F1}s on {report.Examples:N0} labelled impressions").ConfigureAwait(false);
        return (warmup[^1].EventTime, new TrainingSummary(warmup.Count, report.Examples, Math.Round(report.Elapsed.TotalSeconds, 2), report.Cards.Select(c => c.Version).ToList()));
    }
}
