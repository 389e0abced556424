using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Cli.Bench;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>
/// `trackrec bench models`: chains/s and per-chain latency of the embedded model path, against a same-run baseline;
/// `trackrec bench stream`: the worker on the embedded Kafka against a pass-through ceiling (<see cref="BenchStreamCommand"/>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks: `models` (the model roles alone) and `stream` (the worker on Kafka against a pass-through ceiling).");
        bench.Subcommands.Add(CreateModels());
        bench.Subcommands.Add(BenchStreamCommand.Create());
        return bench;
    }

    private static Command CreateModels()
    {
        var input = new InputOptions();
        var outDir = new Option<string>("--out") { Description = "Directory for bench.json (and the models, unless --models is given)", DefaultValueFactory = _ => Path.Combine("out", "bench") };
        var models = new Option<string?>("--models") { Description = "Model directory; trained on the warm-up share when it has none (default: OUT/models)" };
        var requests = new Option<int>("--requests") { Description = "Generations per round", DefaultValueFactory = _ => 1000 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds (baseline and pipeline interleaved)", DefaultValueFactory = _ => 3 };

        var command = new Command("models", "Measure chains/s and latency of the embedded model roles (no Kafka) against the generator-only baseline.");
        input.AddTo(command);
        foreach (var option in new Option[] { outDir, models, requests, rounds })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var source = input.Parse(parse);
            if (source.Problem() is { } problem || (problem = parse.GetValue(requests) < 10 || parse.GetValue(rounds) < 1 ? "--requests must be at least 10 and --rounds at least 1" : null) is not null)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }
            var (stream, name) = source.Load();
            var dir = parse.GetValue(outDir)!;
            var store = new ModelStore(parse.GetValue(models) ?? Path.Combine(dir, "models"));
            await DemoTraining.EnsureModelsAsync(store, stream, name, new DemoOptions { OutDirectory = dir, Input = source }, Console.Out).ConfigureAwait(false);
            var writer = new GenerationOrchestrator(new GenerationOptions(), EmbeddedModelSet.Load(store));
            var report = await ChainBenchmark.RunAsync(stream, writer, parse.GetValue(requests), parse.GetValue(rounds), cancellationToken).ConfigureAwait(false);

            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "bench.json");
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }), cancellationToken).ConfigureAwait(false);
            var c = CultureInfo.InvariantCulture;
            await Console.Out.WriteLineAsync(string.Create(c, $"""

                  {report.Requests} requests x {report.Rounds} rounds, {report.SamplesPerGeneration} chains per generation, one thread
                  baseline (sample only)   {report.BaselineChainsPerSecond,10:N0} chains/s   p50 {report.BaselineMs.P50:F3} ms  p99 {report.BaselineMs.P99:F3} ms per generation
                  full pipeline            {report.PipelineChainsPerSecond,10:N0} chains/s   p50 {report.GenerationMs.P50:F3} ms  p99 {report.GenerationMs.P99:F3} ms per generation ({report.PipelineGenerationsPerSecond:N0} generations/s)
                  pipeline / baseline time {report.PipelineToBaselineTimeRatio,10:F2}x
                  cached feature           p50 {report.CachedFeatureMs.P50:F3} ms  p99 {report.CachedFeatureMs.P99:F3} ms (one validator call)
                  report                   {path}
                """)).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
