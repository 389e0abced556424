using System.CommandLine;
using System.Text.RegularExpressions;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Tests.Demo;
using TrackRec.Streaming.Tests.Dev;

namespace TrackRec.Streaming.Tests.Deploy;

/// <summary>
/// The README runbook's commands are the CLI's real commands: each parses with the `trackrec` command line
/// (options that exist, values of the right shape), and each replay runs against a local `trackrec dev` stack.
/// </summary>
public sealed partial class RunbookCommandTests
{
    private static List<string> RunbookCommands()
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf("\n## Runbook\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no runbook");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return [.. Command().Matches(readme[start..(end < 0 ? readme.Length : end)]).Select(m => m.Groups[1].Value)];
    }

    [Fact]
    public void Every_runbook_command_parses_as_a_trackrec_command()
    {
        var commands = RunbookCommands();
        Assert.True(commands.Count(c => c.StartsWith("replay ", StringComparison.Ordinal)) >= 6, $"a replay per alert expected, found: {string.Join(" | ", commands)}");
        var root = new RootCommand { ReplayCommand.Create(), TrainCommand.Create() };
        foreach (var command in commands)
        {
            var parse = root.Parse(command);
            Assert.True(parse.Errors.Count == 0, $"`trackrec {command}`: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    // Every replay of the runbook, run as an operator would from a second terminal against a `trackrec dev` stack:
    // the commands as written, plus where the cluster is (and --time-index scan: the embedded broker has no time index).
    [Fact]
    public async Task Runbook_replays_rehearsed_against_trackrec_dev()
    {
        var replays = RunbookCommands().Where(c => c.StartsWith("replay ", StringComparison.Ordinal)).ToList();
        var dir = Directory.CreateTempSubdirectory("trackrec-runbook-").FullName;
        using var models = new TrainedModelsFixture();
        var (dev, kafka, registry) = await DevProcess.StartStackAsync(models.Directory, dir, TestContext.Current.CancellationToken, partitions: 4);
        using var _ = dev;
        try
        {
            foreach (var (command, i) in replays.Select((c, i) => (c, i)))
            {
                // The runbook's offset ranges are a production cluster's; on the small dev stack the same command reads
                // the first record of the same partitions.
                var rehearsed = OffsetRange().Replace(command, ":0-1");
                var args = Split(rehearsed).Concat(
                [
                    "--time-index", "scan", "--models", models.Directory,
                    "--set", $"TrackRec:Kafka:BootstrapServers={kafka}", "--set", $"TrackRec:Kafka:SchemaRegistryUrl={registry}",
                    "--set", $"TrackRec:Feedback:Batches:Directory={Path.Combine(dir, $"batches-{i}")}",
                ]).ToList();
                if (!command.Contains("--time-index", StringComparison.Ordinal) && command.Contains("--offsets", StringComparison.Ordinal))
                    args.RemoveRange(args.IndexOf("--time-index"), 2); // offsets need no time index
                using var replay = DevProcess.Start(args, _ => { }, $"runbook {i}");
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
                limit.CancelAfter(TimeSpan.FromSeconds(120));
                await replay.WaitForExitAsync(limit.Token);
                Assert.True(replay.ExitCode == 0, $"`trackrec {command}` against trackrec dev exited {replay.ExitCode}");
            }
        }
        finally
        {
            Assert.Equal(0, await DevProcess.StopAsync(dev, TestContext.Current.CancellationToken));
            Directory.Delete(dir, recursive: true);
        }
    }

    // The runbook's commands use plain spaces and no quoting.
    private static IEnumerable<string> Split(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@":\d+-\d+")]
    private static partial Regex OffsetRange();

    [GeneratedRegex(@"`trackrec ((?:replay|train) [^`]+)`")]
    private static partial Regex Command();
}
