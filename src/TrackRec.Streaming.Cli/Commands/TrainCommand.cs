using System.CommandLine;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Training.Bootstrap;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>`trackrec train`: bootstraps the embedded models from a stream or dataset into a model directory.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var input = new InputOptions();
        var models = new Option<string>("--models") { Description = "Model directory to publish new versions into", DefaultValueFactory = _ => "models" };
        var share = new Option<double>("--share") { Description = "Train on this share of the input (earliest events first)", DefaultValueFactory = _ => 1.0 };
        var maxExamples = new Option<int>("--max-examples") { Description = "Labelled impressions used at most (the newest)", DefaultValueFactory = _ => 40_000 };

        var command = new Command("train", "Train the embedded generator, validator, encoder and explorer from events and publish them as new versions.");
        input.AddTo(command);
        foreach (var option in new Option[] { models, share, maxExamples })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = input.Parse(parse);
            var fraction = parse.GetValue(share);
            var problem = source.Problem() ?? (fraction is <= 0 or > 1 ? "--share must be in (0, 1]" : null)
                ?? (parse.GetValue(maxExamples) < 100 ? "--max-examples must be at least 100" : null);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }
            var (stream, name) = source.Load();
            var events = stream.Events.Take((int)Math.Ceiling(stream.Events.Count * fraction)).ToList();
            var store = new ModelStore(parse.GetValue(models)!);
            await Console.Out.WriteLineAsync($"training on {events.Count:N0} events of {name} into {store.Root}").ConfigureAwait(false);
            var report = EmbeddedBootstrap.Run(store, stream.Items, events, new BootstrapOptions { Source = name, Seed = source.Seed, MaxExamples = parse.GetValue(maxExamples) });
            foreach (var card in report.Cards)
                await Console.Out.WriteLineAsync($"  published {card.Version,-14} {string.Join(", ", card.Metrics.Select(kv => $"{kv.Key} {kv.Value:G4}"))}").ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"done in {report.Elapsed.TotalSeconds:F1}s ({report.Examples:N0} labelled impressions)").ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
