using System.CommandLine;
using System.Globalization;
using TrackRec.Streaming.Cli.Bench;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>`trackrec bench stream`: ceiling, worker throughput, paced latency, optional LLM mode and memory, in one run.</summary>
internal static class BenchStreamCommand
{
    /// <summary>The MovieLens copy beside the repository, used when no input is named.</summary>
    public static string DefaultMovieLens => Path.Combine("..", "shared", "datasets", "movielens-latest-small");

    public static Command Create()
    {
        var input = new InputOptions();
        var simulate = new Option<bool>("--simulate") { Description = "Use the simulator instead of the default MovieLens directory" };
        var outDir = new Option<string>("--out") { Description = "Directory for bench.json and bench.png (and the models, unless --models is given)", DefaultValueFactory = _ => Path.Combine("out", "bench-stream") };
        var models = new Option<string?>("--models") { Description = "Model directory; trained as demo trains them when it has none (default: OUT/models)" };
        var partitions = new Option<int>("--partitions") { Description = "Partitions per topic", DefaultValueFactory = _ => 8 };
        var rates = new Option<string>("--rates") { Description = "Open-loop impression rates, events/s, comma-separated", DefaultValueFactory = _ => "1000,5000,20000" };
        var duration = new Option<string>("--duration") { Description = "How long each rate is held (e.g. 30s)", DefaultValueFactory = _ => "30s" };
        var warmup = new Option<string>("--warmup") { Description = "Paced warm-up at the first rate before measuring (e.g. 10s)", DefaultValueFactory = _ => "10s" };
        var llm = new Option<bool>("--llm") { Description = "Also run the worker with LLM roles against an in-process OpenAI-compatible server" };
        var serviceMs = new Option<int>("--llm-service-ms") { Description = "The stand-in LLM server's service time per request, ms", DefaultValueFactory = _ => 50 };
        var capacity = new Option<int>("--llm-capacity") { Description = "Requests the stand-in server serves at once", DefaultValueFactory = _ => 32 };
        var llmRate = new Option<int>("--llm-rate") { Description = "Open-loop impression rate of the LLM phase, events/s", DefaultValueFactory = _ => 100 };
        var memoryUsers = new Option<string>("--memory-users") { Description = "Synthetic user counts of the memory phase, comma-separated; empty skips it", DefaultValueFactory = _ => "100000,1000000" };
        var settings = SettingOverrides.CreateOption();

        var command = new Command("stream", "Measure the worker on the embedded Kafka against a pass-through ceiling: throughput, open-loop latency, LLM mode, memory per user.");
        input.AddTo(command);
        foreach (var option in new Option[] { simulate, outDir, models, partitions, rates, duration, warmup, llm, serviceMs, capacity, llmRate, memoryUsers, settings })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (overrides, setProblem) = SettingOverrides.Parse(parse.GetValue(settings));
            var source = input.Parse(parse);
            if (source is { EventsFile: null, MovieLensDirectory: null } && !parse.GetValue(simulate))
                source = source with { MovieLensDirectory = DefaultMovieLens };
            var parsedRates = Numbers(parse.GetValue(rates)!);
            var parsedUsers = Numbers(parse.GetValue(memoryUsers)!);
            var parsedDuration = DurationParser.Parse(parse.GetValue(duration)!);
            var parsedWarmup = DurationParser.Parse(parse.GetValue(warmup)!);
            var problem = setProblem
                ?? (parsedRates is null ? "--rates must be comma-separated whole numbers" : null)
                ?? (parsedUsers is null ? "--memory-users must be comma-separated whole numbers" : null)
                ?? (parsedDuration is null ? "--duration must be a duration such as 30s" : null)
                ?? (parsedWarmup is null ? "--warmup must be a duration such as 10s" : null);
            StreamBenchOptions? options = null;
            if (problem is null)
            {
                options = new StreamBenchOptions
                {
                    OutDirectory = parse.GetValue(outDir)!,
                    Input = source,
                    ModelDirectory = parse.GetValue(models),
                    Partitions = parse.GetValue(partitions),
                    Rates = parsedRates!,
                    Duration = parsedDuration!.Value,
                    Warmup = parsedWarmup!.Value,
                    Llm = parse.GetValue(llm),
                    LlmServiceTime = TimeSpan.FromMilliseconds(parse.GetValue(serviceMs)),
                    LlmCapacity = parse.GetValue(capacity),
                    LlmRate = parse.GetValue(llmRate),
                    MemoryUsers = parsedUsers!,
                    Settings = overrides,
                };
                problem = options.Problem();
            }
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }
            StreamBenchReport report;
            try
            {
                report = await StreamBenchRunner.RunAsync(options!, Console.Out, cancellationToken).ConfigureAwait(false);
            }
            catch (BenchInputException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return 2;
            }
            var (json, png) = await StreamBenchRunner.WriteAsync(report, options!.OutDirectory, cancellationToken).ConfigureAwait(false);
            foreach (var line in StreamBenchTable.Lines(report))
                await Console.Out.WriteLineAsync(line).ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"  report {json}, plot {png}").ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static List<int>? Numbers(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var numbers = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                return null;
            numbers.Add(n);
        }
        return numbers;
    }
}
