using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// One open-loop rate: latency from each impression's scheduled send time to its feature's arrival at a
/// downstream consumer, overall and by the feature's <c>source</c>.
/// </summary>
internal sealed record PacedFigures
{
    [JsonPropertyName("rate_per_s")] public double Rate { get; init; }
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
    [JsonPropertyName("scheduled")] public long Scheduled { get; init; }
    [JsonPropertyName("arrived")] public long Arrived { get; init; }
    /// <summary>Features not seen by the end of the drain wait (no latency recorded for them; see <see cref="DrainSeconds"/>).</summary>
    [JsonPropertyName("missing")] public long Missing { get; init; }
    [JsonPropertyName("duplicates")] public long Duplicates { get; init; }
    [JsonPropertyName("drain_s")] public double DrainSeconds { get; init; }
    /// <summary>Features that arrived per second of the schedule (below the rate when the worker fell behind).</summary>
    [JsonPropertyName("achieved_per_s")] public double Achieved { get; init; }
    [JsonPropertyName("latency")] public required LatencyPercentiles Latency { get; init; }
    [JsonPropertyName("latency_by_source")] public required IReadOnlyDictionary<string, LatencyPercentiles> BySource { get; init; }
    /// <summary>Share of features whose chain was younger than the staleness limit (chain_age_ms); null when the records carry no age.</summary>
    [JsonPropertyName("share_chain_younger_than_limit")] public double? ShareYoungerThanLimit { get; init; }
    /// <summary>Latency at <see cref="LatencyPercentiles.PlotQuantiles"/>, per source, for the plot.</summary>
    [JsonPropertyName("curve_by_source")] public required IReadOnlyDictionary<string, IReadOnlyList<double>> CurveBySource { get; init; }
}
