using System.CommandLine;
using TrackRec.Streaming.Cli.Dev;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>`trackrec dev`: a local stack for outside clients (embedded Kafka, registry, worker, feed), up until Ctrl-C.</summary>
internal static class DevCommand
{
    public static Command Create()
    {
        var input = new InputOptions();
        var port = new Option<int>("--port") { Description = "Kafka bootstrap port on 127.0.0.1; 0 = the port the embedded broker gets (printed)", DefaultValueFactory = _ => 0 };
        var registryPort = new Option<int>("--registry-port") { Description = "Schema registry REST port on 127.0.0.1; 0 = a free port (printed)", DefaultValueFactory = _ => 0 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions per topic", DefaultValueFactory = _ => 4 };
        var simulate = new Option<bool>("--simulate") { Description = "Feed the simulator's stream (implied by --events or --movielens)" };
        var rate = new Option<double>("--rate") { Description = "Events per second of the feed; 0 = as fast as possible", DefaultValueFactory = _ => 50 };
        var outDir = new Option<string>("--out") { Description = "Directory for the models (unless --models) and the training batches", DefaultValueFactory = _ => Path.Combine("out", "dev") };
        var models = new Option<string?>("--models") { Description = "Model directory; trained on the input's first 30% when it has none (default: OUT/models)" };
        var settings = SettingOverrides.CreateOption();

        var command = new Command("dev", "Run embedded Kafka, the schema registry's REST endpoint and the worker until Ctrl-C, for kcat, Python or `trackrec run`/`replay` in another terminal.");
        input.AddTo(command);
        foreach (var option in new Option[] { port, registryPort, partitions, simulate, rate, outDir, models, settings })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (overrides, setProblem) = SettingOverrides.Parse(parse.GetValue(settings));
            var source = input.Parse(parse);
            var outDirectory = parse.GetValue(outDir)!;
            var options = new DevOptions
            {
                Port = parse.GetValue(port),
                RegistryPort = parse.GetValue(registryPort),
                Partitions = parse.GetValue(partitions),
                Input = source,
                Feed = parse.GetValue(simulate) || source.EventsFile is not null || source.MovieLensDirectory is not null,
                Rate = parse.GetValue(rate),
                ModelDirectory = parse.GetValue(models) ?? Path.Combine(outDirectory, "models"),
                BatchDirectory = Path.Combine(outDirectory, "batches"),
                Settings = overrides,
            };
            var problem = setProblem ?? options.Problem();
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }
            try
            {
                return await DevRunner.RunAsync(options, Console.Out, cancellationToken).ConfigureAwait(false);
            }
            catch (DevSetupException e)
            {
                await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }
}
