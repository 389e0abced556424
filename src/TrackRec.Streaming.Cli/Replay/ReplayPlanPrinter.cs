using System.Globalization;
using TrackRec.Streaming.Kafka.Replay;

namespace TrackRec.Streaming.Cli.Replay;

/// <summary>The plan as a table: what a run reads (and a dry run would), per input topic and partition.</summary>
internal static class ReplayPlanPrinter
{
    public static async Task PrintAsync(ReplayPlan plan, bool dryRun, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync($"replay {plan.JobId}: group {plan.GroupId}, writing to {string.Join(", ", plan.Targets.All)}{(dryRun ? " (dry run: nothing is written)" : "")}").ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(c, $"  {"topic",-28} {"part",4} {"warm-up from",12} {"start",12} {"end (excl.)",12} {"~records",10} {"~warm-up",10}")).ConfigureAwait(false);
        foreach (var r in plan.Ranges.Where(r => !r.IsEmpty).OrderBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.Partition))
            await output.WriteLineAsync(string.Create(c, $"  {r.Topic,-28} {r.Partition,4} {r.WarmupStart,12} {r.Start,12} {r.End,12} {r.Count,10:N0} {r.WarmupCount,10:N0}")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(c, $"  total ~{plan.Ranges.Sum(r => r.Count):N0} records replayed after ~{plan.Ranges.Sum(r => r.WarmupCount):N0} warm-up records")).ConfigureAwait(false);
    }
}
