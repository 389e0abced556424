using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TrackRec.Streaming.Cli.Eval;
using TrackRec.Streaming.Training.Ctr;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>
/// `trackrec eval`: the reference CTR backbone (DIN) without and with chain features on a time split, per
/// alternating round; writes eval.json and auc_by_round.png and prints the table. Rounds after 0 need an
/// <see cref="IRoundTrainer"/> (passed to <see cref="Create"/>); without one they are reported as not run.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(IRoundTrainer? roundTrainer = null)
    {
        var input = new InputOptions();
        var outDir = new Option<string>("--out") { Description = "Directory for eval.json, auc_by_round.png and the models (OUT/models)", DefaultValueFactory = _ => Path.Combine("out", "eval") };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds after round 0", DefaultValueFactory = _ => 3 };
        var trainShare = new Option<double>("--train-share") { Description = "Share of the event-time range that trains (the rest tests)", DefaultValueFactory = _ => 0.7 };
        var epochs = new Option<int>("--epochs") { Description = "Most epochs of the backbone (the same budget with and without chain features)", DefaultValueFactory = _ => new CtrTrainingOptions().Epochs };

        var command = new Command("eval", "Evaluate chain features with a DIN backbone on a time split: AUC and log loss without features, after round 0 and after each alternating round.");
        input.AddTo(command);
        foreach (var option in new Option[] { outDir, rounds, trainShare, epochs })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = input.Parse(parse);
            var share = parse.GetValue(trainShare);
            var problem = source.Problem()
                ?? (parse.GetValue(rounds) is < 0 or > 20 ? "--rounds must be between 0 and 20" : null)
                ?? (share is <= 0 or >= 1 || double.IsNaN(share) ? "--train-share must be in (0, 1)" : null)
                ?? (parse.GetValue(epochs) is < 1 or > 1000 ? "--epochs must be between 1 and 1000" : null)
                ?? (string.IsNullOrWhiteSpace(parse.GetValue(outDir)) ? "--out must name a directory" : null);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }
            var dir = parse.GetValue(outDir)!;
            var options = new EvalOptions
            {
                Source = "",
                ModelDirectory = Path.Combine(dir, "models"),
                Rounds = parse.GetValue(rounds),
                TrainShare = share,
                Seed = source.Seed,
                Ctr = new CtrTrainingOptions { Epochs = parse.GetValue(epochs) },
            };
            return await RunAsync(source, options, dir, roundTrainer, Console.Out, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Loads the input, runs the evaluation and writes its outputs into <paramref name="dir"/>.</summary>
    internal static async Task<int> RunAsync(InputSource source, EvalOptions options, string dir, IRoundTrainer? roundTrainer, TextWriter output, CancellationToken cancellationToken)
    {
        var (stream, name) = source.Load();
        options = options with { Source = name };
        await output.WriteLineAsync($"evaluating on {stream.Events.Count:N0} events of {name}").ConfigureAwait(false);
        var report = await EvalRunner.RunAsync(stream.Items, stream.Events, options, roundTrainer, output, cancellationToken).ConfigureAwait(false);

        Directory.CreateDirectory(dir);
        var json = Path.Combine(dir, "eval.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, JsonOptions), cancellationToken).ConfigureAwait(false);
        var png = Path.Combine(dir, "auc_by_round.png");
        AucPlot.Write(report, png);
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(c, $"""

              {report.TrainImpressions:N0} train / {report.TestImpressions:N0} test impressions (split {report.SplitTime:u}), test click rate {report.TestClickRate:F3}
              {report.TestOutOfVocabularyUsers:N0} test impressions are of users first seen after the split, {report.TestOutOfVocabularyItems:N0} of items first seen after it
              backbone {report.Budget.Backbone}, history {report.Budget.HistoryLength}, {report.Budget.Epochs} epochs at most, batch {report.Budget.BatchSize}, lr {report.Budget.LearningRate}, seed {report.Seed}

            """)).ConfigureAwait(false);
        await output.WriteLineAsync(EvalTable.Render(report)).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(c, $"  {json}\n  {png}\n  done in {report.ElapsedS:F1}s")).ConfigureAwait(false);
        return 0;
    }

    internal static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
