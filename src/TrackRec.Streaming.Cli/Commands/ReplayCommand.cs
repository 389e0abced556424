using System.CommandLine;
using TrackRec.Streaming.Cli.Replay;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>`trackrec replay`: re-run the worker's pipeline over a time or offset range of the inputs, as a bounded job.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var job = new Option<string>("--job") { Description = "Job id: the replay's consumer group is trackrec-replay-JOB and every output carries it (re-running a job id rewrites the same keys); required" };
        var from = new Option<string?>("--from") { Description = "Start of the time range (ISO-8601, inclusive), by record timestamp" };
        var to = new Option<string?>("--to") { Description = "End of the time range (ISO-8601, exclusive)" };
        var offsets = new Option<string?>("--offsets") { Description = "Explicit ranges instead of a time range: TOPIC:PARTITION:START-END,... (TOPIC impressions, clicks, comments or a topic name; END exclusive)" };
        var warmup = new Option<string>("--warmup") { Description = "Stream read before the range to rebuild user state, without outputs (e.g. 1h, 30m, 0)", DefaultValueFactory = _ => "24h" };
        var models = new Option<string?>("--models") { Description = "Model directory (TrackRec:Models:Directory)" };
        var versions = new Option<string[]>("--model-version") { Description = "Serve this version of a role instead of CURRENT, ROLE=VERSION (e.g. generator=generator-v2); repeatable", AllowMultipleArgumentsPerToken = true };
        var suffix = new Option<string>("--target-suffix") { Description = "Suffix of the sandbox output topics", DefaultValueFactory = _ => ReplayJobOptions.DefaultTargetSuffix };
        var toLive = new Option<bool>("--to-live") { Description = "Write to the live output topics instead of the sandbox ones" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be read (per topic and partition) and write nothing" };
        var timeIndex = new Option<string>("--time-index") { Description = "How times become offsets: broker (offsets-for-times) or scan (reads timestamps; for the embedded mock cluster)", DefaultValueFactory = _ => "broker" };
        var settings = new Option<string[]>("--set") { Description = "Override a setting, e.g. --set TrackRec:Kafka:BootstrapServers=kafka:9092", AllowMultipleArgumentsPerToken = true };

        var command = new Command("replay", "Replay a time or offset range of the inputs through the worker's pipeline into sandbox (or, with --to-live, live) output topics.");
        foreach (var option in new Option[] { job, from, to, offsets, warmup, models, versions, suffix, toLive, dryRun, timeIndex, settings })
            command.Options.Add(option);
        command.SetAction(async (parse, cancellationToken) =>
        {
            // Checked here rather than by the parser so a missing job id exits 2 like every other bad option.
            if (string.IsNullOrWhiteSpace(parse.GetValue(job)))
            {
                await Console.Error.WriteLineAsync("--job is required (e.g. --job model-v7-nov20)").ConfigureAwait(false);
                return 2;
            }
            var options = new ReplayJobOptions
            {
                JobId = parse.GetValue(job)!,
                From = parse.GetValue(from),
                To = parse.GetValue(to),
                Offsets = parse.GetValue(offsets),
                Warmup = parse.GetValue(warmup)!,
                ModelDirectory = parse.GetValue(models),
                ModelVersions = parse.GetValue(versions) ?? [],
                TargetSuffix = parse.GetValue(suffix)!,
                ToLive = parse.GetValue(toLive),
                DryRun = parse.GetValue(dryRun),
                TimeIndex = parse.GetValue(timeIndex)!,
                Settings = parse.GetValue(settings) ?? [],
            };
            return await ReplayRunner.RunAsync(options, Console.Out, Console.Error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
