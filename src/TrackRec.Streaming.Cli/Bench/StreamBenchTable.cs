using System.Globalization;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>The printed table of a `bench stream` run (the figures of bench.json a person reads first).</summary>
internal static class StreamBenchTable
{
    public static IEnumerable<string> Lines(StreamBenchReport r)
    {
        var c = CultureInfo.InvariantCulture;
        yield return "";
        yield return string.Create(c, $"  {r.Source}, {r.InputEvents:N0} events, {r.Partitions} partitions, {r.ProcessorCount} processors");
        yield return "  throughput                    events/s   ratio to ceiling";
        yield return string.Create(c, $"  pass-through ceiling      {r.Ceiling.EventsPerSecond,12:N0}   1.00");
        yield return string.Create(c, $"  worker, feedback on       {r.WorkerFeedbackOn.EventsPerSecond,12:N0}   {r.RatioFeedbackOn:F3}");
        yield return string.Create(c, $"  worker, feedback off      {r.WorkerFeedbackOff.EventsPerSecond,12:N0}   {r.RatioFeedbackOff:F3}");
        yield return "";
        yield return "  paced (open loop)   source        count      p50 ms      p99 ms    p99.9 ms   arrived/s  missing";
        foreach (var (p, i) in r.Paced.Select((p, i) => (p, i)))
        {
            yield return string.Create(c, $"  {p.Rate,10:N0}/s       all      {p.Latency.Count,10:N0} {p.Latency.P50,11:F2} {p.Latency.P99,11:F2} {p.Latency.P999,11:F2} {p.Achieved,11:N0} {p.Missing,8:N0}  ({r.PacedAchievedToCeiling[i]:F3} of ceiling)");
            foreach (var (source, l) in p.BySource)
                yield return string.Create(c, $"                     {source,-10} {l.Count,10:N0} {l.P50,11:F2} {l.P99,11:F2} {l.P999,11:F2}");
            if (p.ShareYoungerThanLimit is { } share)
                yield return string.Create(c, $"                     chain younger than the staleness limit: {share:P1}");
        }
        if (r.Llm is { } llm)
        {
            yield return "";
            yield return string.Create(c, $"  llm ({llm.ServiceTimeMs:N0} ms, capacity {llm.ServerCapacity}, budget {llm.Budget}): in flight mean {llm.InFlightMean:F2} ({llm.InFlightMeanToBudget:P0} of budget), max {llm.InFlightMax}, mean while queued {Show(llm.InFlightMeanWhileQueued)}");
            yield return string.Create(c, $"    calls per impression {llm.CallsPerImpression:F2} ({string.Join(", ", llm.CallsPerImpressionByRole.Select(kv => $"{kv.Key} {kv.Value:F2}"))}); failures {llm.Failures}, malformed {llm.MalformedAnswers}");
            yield return string.Create(c, $"    paced {llm.Paced.Rate:N0}/s: p50 {llm.Paced.Latency.P50:F1} ms, p99 {llm.Paced.Latency.P99:F1} ms, arrived {llm.Paced.Arrived:N0} of {llm.Paced.Scheduled:N0}");
            yield return string.Create(c, $"    queue depth mean/max {Show(llm.QueueDepthMean)}/{Show(llm.QueueDepthMax)}, age mean/max {Show(llm.QueueAgeMean)}/{Show(llm.QueueAgeMax)}; chain younger than the limit {Show(llm.Paced.ShareYoungerThanLimit)}");
        }
        if (r.Memory.Count > 0)
        {
            yield return "";
            yield return "  memory          users   bytes/user   index   history   outcomes   chain: selected  samples  request";
            foreach (var m in r.Memory)
                yield return m.BytesPerUser is { } b
                    ? string.Create(c, $"            {m.Users,10:N0} {b,12:N0} {m.Breakdown["user_index"],7:N0} {m.Breakdown["history"],9:N0} {m.Breakdown["outcomes"],10:N0} {m.Breakdown["chain_selected"],16:N0} {m.Breakdown["chain_samples"],8:N0} {m.Breakdown["chain_request"],8:N0}")
                    : string.Create(c, $"            {m.Users,10:N0}   skipped: {m.Skipped}");
        }
    }

    private static string Show(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "n/a";
}
