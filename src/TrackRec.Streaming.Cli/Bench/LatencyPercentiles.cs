using System.Text.Json.Serialization;
using TrackRec.Streaming.Kafka.Diagnostics;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>Latency percentiles in milliseconds over <see cref="Count"/> samples (nearest rank).</summary>
internal sealed record LatencyPercentiles(
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("p50_ms")] double P50,
    [property: JsonPropertyName("p99_ms")] double P99,
    [property: JsonPropertyName("p999_ms")] double P999,
    [property: JsonPropertyName("max_ms")] double Max)
{
    /// <summary>Quantiles drawn in the latency plot (x: percentile, y: latency).</summary>
    public static IReadOnlyList<double> PlotQuantiles { get; } = [0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999, 1.0];

    public static LatencyPercentiles Of(LatencyRecorder recorder) => new(
        recorder.Count,
        Math.Round(recorder.Percentile(0.5), 3),
        Math.Round(recorder.Percentile(0.99), 3),
        Math.Round(recorder.Percentile(0.999), 3),
        Math.Round(recorder.Percentile(1.0), 3));
}
