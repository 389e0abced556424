using System.CommandLine;
using TrackRec.Streaming.Cli.Demo;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>`trackrec demo`: the whole pipeline on an embedded Kafka, no external services.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var input = new InputOptions();
        var outDir = new Option<string>("--out") { Description = "Directory for summary.json (and the models, unless --models is given)", DefaultValueFactory = _ => Path.Combine("out", "demo") };
        var models = new Option<string?>("--models") { Description = "Model directory; models are trained on the warm-up events when it has none (default: OUT/models)" };
        var warmup = new Option<double>("--warmup-share") { Description = "Share of the stream (by event time) the models are trained on when none exist", DefaultValueFactory = _ => 0.3 };
        var generator = new Option<string>("--generator") { Description = "Backend of generator, reflection and validator: embedded or llm", DefaultValueFactory = _ => "embedded" };
        var endpoint = new Option<string?>("--llm-endpoint") { Description = "OpenAI-compatible base URL (e.g. http://localhost:8000/v1) for --generator llm" };
        var llmModel = new Option<string?>("--llm-model") { Description = "Model name sent to the LLM endpoint" };
        var malformed = new Option<double>("--malformed-share") { Description = "Share of events followed by a malformed record (bytes) on the same topic", DefaultValueFactory = _ => 0.005 };
        var settings = SettingOverrides.CreateOption();
        var partitions = new Option<int>("--partitions") { Description = "Partitions per topic on the embedded Kafka", DefaultValueFactory = _ => 4 };

        var command = new Command("demo", "Run the worker end to end on an embedded Kafka (no external services) and print a summary.");
        input.AddTo(command);
        foreach (var option in new Option[] { outDir, models, warmup, generator, endpoint, llmModel, malformed, partitions, settings })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (overrides, setProblem) = SettingOverrides.Parse(parse.GetValue(settings));
            var options = new DemoOptions
            {
                OutDirectory = parse.GetValue(outDir)!,
                Input = input.Parse(parse),
                ModelDirectory = parse.GetValue(models),
                WarmupShare = parse.GetValue(warmup),
                Generator = parse.GetValue(generator)!,
                LlmEndpoint = parse.GetValue(endpoint),
                LlmModel = parse.GetValue(llmModel),
                MalformedShare = parse.GetValue(malformed),
                Partitions = parse.GetValue(partitions),
                Settings = overrides,
            };
            var problem = setProblem ?? options.Input.Problem() ?? options switch
            {
                { MalformedShare: < 0 or > 1 } => "--malformed-share must be between 0 and 1",
                { WarmupShare: <= 0 or >= 1 } => "--warmup-share must be between 0 and 1 (exclusive)",
                { Partitions: < 1 } => "--partitions must be at least 1",
                { Generator: not ("embedded" or "llm") } => "--generator must be embedded or llm",
                { Generator: "llm", LlmEndpoint: null } => "--generator llm needs --llm-endpoint URL",
                _ => null,
            };
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }
            var (exitCode, _) = await DemoRunner.RunAsync(options, Console.Out, cancellationToken).ConfigureAwait(false);
            return exitCode;
        });
        return command;
    }
}
