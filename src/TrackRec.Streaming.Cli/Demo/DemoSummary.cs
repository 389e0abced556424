using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Cli.Demo;

/// <summary>The figures of a demo run, written as summary.json (names are part of the demo's contract).</summary>
internal sealed record DemoSummary
{
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("events_consumed")] public long EventsConsumed { get; init; }
    [JsonPropertyName("impressions")] public long Impressions { get; init; }
    [JsonPropertyName("clicks")] public long Clicks { get; init; }
    [JsonPropertyName("comments")] public long Comments { get; init; }
    [JsonPropertyName("items")] public long Items { get; init; }
    [JsonPropertyName("features_emitted")] public long FeaturesEmitted { get; init; }
    [JsonPropertyName("outcomes_emitted")] public long OutcomesEmitted { get; init; }
    [JsonPropertyName("chains_emitted")] public long ChainsEmitted { get; init; }
    [JsonPropertyName("dead_letters")] public long DeadLetters { get; init; }
    [JsonPropertyName("labels_clicked")] public long LabelsClicked { get; init; }
    [JsonPropertyName("labels_not_clicked")] public long LabelsNotClicked { get; init; }
    [JsonPropertyName("chains_generated")] public long ChainsGenerated { get; init; }
    [JsonPropertyName("chain_cache_hits")] public long ChainCacheHits { get; init; }
    [JsonPropertyName("degraded_features")] public long DegradedFeatures { get; init; }
    [JsonPropertyName("generator_version")] public required string GeneratorVersion { get; init; }
    [JsonPropertyName("malformed_injected")] public long MalformedInjected { get; init; }
    [JsonPropertyName("input_lines_skipped")] public long InputLinesSkipped { get; init; }
    [JsonPropertyName("feature_latency_ms")] public required LatencySummary FeatureLatencyMs { get; init; }
    [JsonPropertyName("produce_s")] public double ProduceSeconds { get; init; }
    [JsonPropertyName("elapsed_s")] public double ElapsedSeconds { get; init; }
    [JsonPropertyName("events_per_s")] public double EventsPerSecond { get; init; }
}

/// <summary>Percentiles of a latency, in milliseconds.</summary>
internal sealed record LatencySummary(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p99")] double P99);
