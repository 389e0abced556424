using System.CommandLine;
using TrackRec.Streaming.Cli.Demo;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>`trackrec demo`: the real worker on an embedded Kafka, fed by a simulator, a JSON-lines file or MovieLens.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Directory for summary.json", DefaultValueFactory = _ => Path.Combine("out", "demo") };
        var events = new Option<string?>("--events") { Description = "A JSON-lines file of item/impression/click/comment records instead of the simulator" };
        var movielens = new Option<string?>("--movielens") { Description = "A MovieLens directory (ratings.csv, movies.csv, tags.csv) instead of the simulator" };
        var seed = new Option<int>("--seed") { Description = "Simulator seed", DefaultValueFactory = _ => 42 };
        var users = new Option<int>("--users") { Description = "Simulated users", DefaultValueFactory = _ => 200 };
        var impressions = new Option<int>("--impressions-per-user") { Description = "Simulated impressions per user", DefaultValueFactory = _ => 40 };
        var malformed = new Option<double>("--malformed-share") { Description = "Share of events followed by a malformed record (bytes) on the same topic", DefaultValueFactory = _ => 0.005 };
        var partitions = new Option<int>("--partitions") { Description = "Partitions per topic on the embedded Kafka", DefaultValueFactory = _ => 4 };
        var maxUsers = new Option<int?>("--max-users") { Description = "Read only the first N MovieLens users" };

        var command = new Command("demo", "Run the worker end to end on an embedded Kafka (no external services) and print a summary.");
        foreach (var option in new Option[] { outDir, events, movielens, seed, users, impressions, malformed, partitions, maxUsers })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new DemoOptions
            {
                OutDirectory = parse.GetValue(outDir)!,
                EventsFile = parse.GetValue(events),
                MovieLensDirectory = parse.GetValue(movielens),
                Seed = parse.GetValue(seed),
                Users = parse.GetValue(users),
                ImpressionsPerUser = parse.GetValue(impressions),
                MalformedShare = parse.GetValue(malformed),
                Partitions = parse.GetValue(partitions),
                MaxUsers = parse.GetValue(maxUsers),
            };
            var problem = options switch
            {
                { EventsFile: not null, MovieLensDirectory: not null } => "--events and --movielens cannot be combined",
                { MalformedShare: < 0 or > 1 } => "--malformed-share must be between 0 and 1",
                { Partitions: < 1 } => "--partitions must be at least 1",
                { EventsFile: { } f } when !File.Exists(f) => $"--events: no file '{f}'",
                { MovieLensDirectory: { } d } when !Directory.Exists(d) => $"--movielens: no directory '{d}'",
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
