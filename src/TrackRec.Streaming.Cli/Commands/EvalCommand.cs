using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Cli.Eval;
using TrackRec.Streaming.Training.Ctr;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>
/// `trackrec eval`: the reference CTR backbone (DIN) on a time split with B0 (ids, categories, history), B1 (+ the
/// validator's statistics), B2 (+ content) and Full (+ chain features) per alternating round, ablations of each
/// chain feature, over several seeds; writes eval.json, auc_by_round.png and ablations.png and prints the table. Rounds after 0 need an
/// <see cref="IRoundTrainer"/> (passed to <see cref="Create"/>); without one they are reported as not run.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(IRoundTrainer? roundTrainer = null)
    {
        var input = new InputOptions();
        var models = new EvalModelOptions();
        var outDir = new Option<string>("--out") { Description = "Directory for eval.json, auc_by_round.png and the models (OUT/models)", DefaultValueFactory = _ => Path.Combine("out", "eval") };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds after round 0", DefaultValueFactory = _ => 3 };
        var trainShare = new Option<double>("--train-share") { Description = "Share of the event-time range that trains (the rest tests)", DefaultValueFactory = _ => 0.7 };
        var seeds = new Option<int>("--seeds") { Description = "Seeds to run (--seed, --seed + 1, ...); every table is mean ± std over them", DefaultValueFactory = _ => 3 };
        var resamples = new Option<int>("--bootstrap") { Description = "User-bootstrap resamples for the headline interval", DefaultValueFactory = _ => 1000 };
        var noAblations = new Option<bool>("--no-ablations") { Description = "Skip Full without one chain feature at a time" };
        var generator = new Option<string>("--generator") { Description = "Backend of generator, reflection and validator for the chain features: embedded or llm", DefaultValueFactory = _ => "embedded" };
        var endpoint = new Option<string?>("--llm-endpoint") { Description = "OpenAI-compatible base URL (e.g. http://localhost:8000/v1) for --generator llm" };
        var llmModel = new Option<string?>("--llm-model") { Description = "Model name sent to the LLM endpoint" };
        var jobs = new Option<int>("--jobs") { Description = "Seeds run at once (a seed's numbers do not depend on it); default: as many as memory holds at 7.5 GB a seed, at most 3", DefaultValueFactory = _ => DefaultJobs() };
        var epochs = new Option<int>("--epochs") { Description = "Most epochs of the backbone (the same budget with and without chain features)", DefaultValueFactory = _ => new CtrTrainingOptions().Epochs };

        var command = new Command("eval", "Evaluate chain features with a DIN backbone on a time split: AUC and log loss without features, after round 0 and after each alternating round.");
        input.AddTo(command);
        models.AddTo(command);
        foreach (var option in new Option[] { outDir, rounds, trainShare, epochs, seeds, jobs, resamples, noAblations, generator, endpoint, llmModel })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = input.Parse(parse);
            var share = parse.GetValue(trainShare);
            var problem = source.Problem() ?? models.Problem(parse)
                ?? (parse.GetValue(rounds) is < 0 or > 20 ? "--rounds must be between 0 and 20" : null)
                ?? (share is <= 0 or >= 1 || double.IsNaN(share) ? "--train-share must be in (0, 1)" : null)
                ?? (parse.GetValue(epochs) is < 1 or > 1000 ? "--epochs must be between 1 and 1000" : null)
                ?? (parse.GetValue(seeds) is < 1 or > 20 ? "--seeds must be between 1 and 20" : null)
                ?? (parse.GetValue(jobs) is < 1 or > 20 ? "--jobs must be between 1 and 20" : null)
                ?? (parse.GetValue(generator) is not ("embedded" or "llm") ? "--generator must be embedded or llm" : null)
                ?? (parse.GetValue(generator) == "llm" && parse.GetValue(endpoint) is null ? "--generator llm needs --llm-endpoint URL" : null)
                ?? (parse.GetValue(resamples) is < 100 or > 100_000 ? "--bootstrap must be between 100 and 100000" : null)
                ?? (string.IsNullOrWhiteSpace(parse.GetValue(outDir)) ? "--out must name a directory" : null);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }
            var dir = parse.GetValue(outDir)!;
            var options = models.Apply(parse, new EvalOptions
            {
                Source = "",
                ModelDirectory = Path.Combine(dir, "models"),
                Rounds = parse.GetValue(rounds),
                TrainShare = share,
                Seed = source.Seed,
                Ctr = new CtrTrainingOptions { Epochs = parse.GetValue(epochs) },
                Ablations = !parse.GetValue(noAblations),
                LogMetrics = source.MindDirectory is not null,
            });
            var seedList = Enumerable.Range(source.Seed, parse.GetValue(seeds)).ToList();
            if (parse.GetValue(generator) == "llm")
            {
                // The endpoint's roles serve the chains; this process cannot retrain them (TRL does, from the
                // worker's batches), so rounds after 0 are reported as not run.
                var serveWith = LlmServing(parse.GetValue(endpoint)!, parse.GetValue(llmModel));
                return await RunAsync(source, options, seedList, parse.GetValue(resamples), dir, null, Console.Out, cancellationToken, serveWith, parse.GetValue(jobs)).ConfigureAwait(false);
            }
            return await RunAsync(source, options, seedList, parse.GetValue(resamples), dir, roundTrainer, Console.Out, cancellationToken, jobs: parse.GetValue(jobs)).ConfigureAwait(false);
        });
        return command;
    }

    // On this 24 GB machine one MovieLens seed peaked at 9 GB resident, two side by side at 17 GB, three at 18-23 GB
    // (the GC collects late while memory is plentiful).
    // 7.5 GB a seed gives three here and two on a 16 GB machine.
    private static int DefaultJobs() =>
        (int)Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (15L << 29), 1, 3);

    /// <summary>Loads the input, runs the evaluation for every seed and writes its outputs into <paramref name="dir"/>.</summary>
    internal static async Task<int> RunAsync(InputSelection source, EvalOptions options, IReadOnlyList<int> seeds, int resamples, string dir, IRoundTrainer? roundTrainer, TextWriter output, CancellationToken cancellationToken, Func<ChainRoles, ChainRoles>? serveWith = null, int jobs = 1)
    {
        var (stream, name) = source.Load();
        options = options with { Source = name };
        await output.WriteLineAsync($"evaluating on {stream.Events.Count:N0} events of {name}, seeds {string.Join(", ", seeds)}").ConfigureAwait(false);
        var summary = await EvalSeries.RunAsync(stream.Items, stream.Events, options, seeds, roundTrainer, output, resamples, cancellationToken, serveWith, jobs).ConfigureAwait(false);

        Directory.CreateDirectory(dir);
        var json = Path.Combine(dir, "eval.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(summary, JsonOptions), cancellationToken).ConfigureAwait(false);
        var png = Path.Combine(dir, "auc_by_round.png");
        AucPlot.Write(summary, png);
        var ablations = Path.Combine(dir, "ablations.png");
        AblationPlot.Write(summary, ablations);
        var report = summary.Runs[0];
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(c, $"""

              {report.TrainImpressions:N0} train / {report.TestImpressions:N0} test impressions (split {report.SplitTime:u}), test click rate {report.TestClickRate:F3}
              {report.TestOutOfVocabularyUsers:N0} test impressions are of users first seen after the split, {report.TestOutOfVocabularyItems:N0} of items first seen after it
              backbone {report.Budget.Backbone}, history {report.Budget.HistoryLength}, {report.Budget.Epochs} epochs at most, batch {report.Budget.BatchSize}, lr {report.Budget.LearningRate}; mean ± std over seeds {string.Join(", ", seeds)}

            """)).ConfigureAwait(false);
        await output.WriteLineAsync(EvalTable.Render(summary)).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(c, $"  {json}\n  {png}\n  {ablations}\n  done in {summary.ElapsedS:F1}s")).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The roles the worker serves with TrackRec:Models:Backend=Llm: the endpoint's generator, reflection and validator, the embedded explorer, encoder and per-impression scorer.</summary>
    internal static Func<ChainRoles, ChainRoles> LlmServing(string endpoint, string? model)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TrackRec:Models:Llm:Endpoint"] = endpoint,
            ["TrackRec:Models:Llm:Model"] = model ?? "default",
        }).Build();
        var counters = new ModelCallCounters();
        var llm = new ModelOptions { Backend = ModelBackend.Llm };
        return embedded => ModelRoleFactory.Compose(llm, embedded, LlmRoles.CreateBackend(configuration, counters), new OnnxEncoderOptions());
    }

    internal static JsonSerializerOptions JsonOptions { get; } = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
