namespace TrackRec.Streaming.Tests.Telemetry;

/// <summary>The metric names in a Prometheus text exposition: every sample's name (counters' _total, histograms' _bucket/_sum/_count).</summary>
internal static class PrometheusText
{
    public static HashSet<string> SampleNames(string exposition) =>
        exposition.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);
}
