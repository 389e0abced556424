using TrackRec.Streaming.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Retraining;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Replay;
using TrackRec.Streaming.Outcomes;

namespace TrackRec.Streaming.Cli.Replay;

/// <summary>
/// `trackrec replay` end to end: check the options, resolve the plan (offsets, once), print it, and
/// unless it is a dry run, run the worker host configured as a replay until the plan is read.
/// Exit codes as `run`: 0 done, 2 a bad option or setting (the message names it), 1 a fatal error.
/// </summary>
internal static class ReplayRunner
{
    public static async Task<int> RunAsync(
        ReplayJobOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken,
        Action<IServiceCollection>? configureServices = null, bool? interactive = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        WorkerHostOptions settings;
        ReplayRequest request;
        KafkaOptions kafka;
        TopicOptions topics;
        try
        {
            settings = new WorkerHostOptions { Settings = [Settings(options)], Services = configureServices, Retrainer = DpoModelRetrainer.Instance };
            // The settings the replay's host will run with, validated as at its start: the plan is made from them first.
            using var read = WorkerHost.ReadSettings(settings);
            kafka = read.Get<KafkaOptions>();
            topics = read.Get<TopicOptions>();
            request = Request(options, read.Get<AttributionOptions>());
        }
        catch (ReplayOptionException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }
        catch (OptionsValidationException ex)
        {
            await RunCommand.WriteInvalidAsync(ex, error).ConfigureAwait(false);
            return 2;
        }

        ReplayPlan plan;
        try
        {
            Func<IConsumer<byte[]?, byte[]?>, IOffsetTimeIndex>? index = options.TimeIndex == "scan" ? _ => new ScanningOffsetTimeIndex(kafka) : null;
            plan = new ReplayPlanner(kafka, topics, index).Plan(request);
        }
        catch (ReplayPlanException ex)
        {
            await error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex) when (ex is TopicConfigurationException or KafkaException or TimeoutException)
        {
            await error.WriteLineAsync("Could not plan the replay: " + ex.Message).ConfigureAwait(false);
            return 1;
        }

        await ReplayPlanPrinter.PrintAsync(plan, options.DryRun, output).ConfigureAwait(false);
        if (options.DryRun)
            return 0;
        if (plan.TotalRecords == 0)
        {
            await output.WriteLineAsync(request.Selection is TimeRangeSelection && options.TimeIndex == "broker"
                ? "nothing to replay: no records in that time range (a cluster without a time index, such as the embedded mock, answers every time with its end: use --time-index scan there)"
                : "nothing to replay").ConfigureAwait(false);
            return 0;
        }
        foreach (var topic in MissingTopics(kafka, plan.Targets.All))
            await output.WriteLineAsync($"note: target topic '{topic}' does not exist; it is created on first write only if the broker auto-creates topics (create it with the live topic's partition count otherwise)").ConfigureAwait(false);

        using var host = WorkerHost.Build(settings with { Replay = plan });
        var counters = host.Services.GetRequiredService<StreamCounters>();
        host.Services.GetRequiredService<StreamMetrics>().TrackReplay(plan.JobId, () => counters.EventsConsumed, plan.TotalRecords);
        var worker = host.Services.GetRequiredService<StreamWorker>();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = ReplayProgress.RunAsync(
            () => counters.EventsConsumed, plan.TotalRecords, Task.WhenAny(worker.Finished, stopped.Task),
            output, interactive ?? (!Console.IsOutputRedirected && ReferenceEquals(output, Console.Out)));
        int exitCode;
        try
        {
            exitCode = await RunCommand.RunHostAsync(host, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stopped.TrySetResult();
            await progress.ConfigureAwait(false);
        }
        if (exitCode == 0)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"replay {plan.JobId} done: {counters.EventsConsumed:N0} records read, {counters.FeaturesEmitted:N0} features, {counters.ChainsEmitted:N0} chains, {counters.OutcomesEmitted:N0} outcomes, {counters.DeadLetters:N0} dead letters written")).ConfigureAwait(false);
        }
        return exitCode;
    }

    private static Dictionary<string, string?> Settings(ReplayJobOptions options)
    {
        var settings = new Dictionary<string, string?>(BoundedJobSettings.Quiet, StringComparer.OrdinalIgnoreCase);
        var (overrides, problem) = SettingOverrides.Parse(options.Settings);
        if (problem is not null)
            throw new ReplayOptionException(problem);
        foreach (var (key, value) in overrides)
            settings[key] = value;
        if (options.ModelDirectory is { } models)
            settings["TrackRec:Models:Directory"] = models;
        foreach (var pin in options.ModelVersions)
        {
            var kv = pin.Split('=', 2);
            if (kv.Length != 2 || kv[0].Length == 0 || kv[1].Length == 0)
                throw new ReplayOptionException($"--model-version '{pin}' is not ROLE=VERSION (e.g. generator=generator-v2)");
            settings[$"TrackRec:Models:Versions:{kv[0]}"] = kv[1];
        }
        return settings;
    }

    private static ReplayRequest Request(ReplayJobOptions options, AttributionOptions attribution)
    {
        if (options.TimeIndex is not ("broker" or "scan"))
            throw new ReplayOptionException("--time-index must be broker or scan");
        var warmup = DurationParser.Parse(options.Warmup) ?? throw new ReplayOptionException($"--warmup '{options.Warmup}' is not a duration (e.g. 1h, 30m, 2d)");
        var byTime = options.From is not null || options.To is not null;
        ReplaySelection selection;
        if (byTime && options.Offsets is not null)
            throw new ReplayOptionException("--offsets cannot be combined with --from/--to: choose a time range or explicit offsets");
        if (byTime)
        {
            var from = Time(options.From, "--from");
            var to = Time(options.To, "--to");
            if (to <= from)
                throw new ReplayOptionException($"--to ({to:O}) must be after --from ({from:O})");
            selection = new TimeRangeSelection(from, to);
        }
        else if (options.Offsets is not null)
        {
            try
            {
                selection = new OffsetSelection(OffsetRangeSpec.ParseList(options.Offsets));
            }
            catch (ReplayPlanException ex)
            {
                throw new ReplayOptionException(ex.Message);
            }
        }
        else
        {
            throw new ReplayOptionException("choose the input: --from and --to (ISO-8601), or --offsets TOPIC:PARTITION:START-END,...");
        }

        // Clicks and comments are read past a time range's end for as long as they can still label an impression in it.
        return new ReplayRequest
        {
            JobId = options.JobId,
            Selection = selection,
            Warmup = warmup,
            EngagementTail = attribution.Window + attribution.Grace,
            TargetSuffix = options.TargetSuffix,
            ToLive = options.ToLive,
        };
    }

    private static DateTimeOffset Time(string? text, string option) =>
        text is null
            ? throw new ReplayOptionException($"{option} is required with a time range (ISO-8601, e.g. 2026-11-20T08:00:00Z)")
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time
                : throw new ReplayOptionException($"{option} '{text}' is not an ISO-8601 time (e.g. 2026-11-20T08:00:00Z)");

    private static List<string> MissingTopics(KafkaOptions kafka, IReadOnlyList<string> topics)
    {
        var missing = new List<string>();
        foreach (var topic in topics)
        {
            try
            {
                _ = Kafka.Consuming.TopicMetadata.Partitions(kafka, topic);
            }
            catch (TopicConfigurationException)
            {
                missing.Add(topic);
            }
        }
        return missing;
    }
}
