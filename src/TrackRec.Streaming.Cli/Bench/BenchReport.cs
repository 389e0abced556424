using System.Text.Json.Serialization;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Cli.Demo;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>What `trackrec bench` measured, written as bench.json.</summary>
internal sealed record BenchReport
{
    [JsonPropertyName("requests")] public int Requests { get; init; }
    [JsonPropertyName("rounds")] public int Rounds { get; init; }
    [JsonPropertyName("samples_per_generation")] public int SamplesPerGeneration { get; init; }
    [JsonPropertyName("model_versions")] public required ModelVersions Versions { get; init; }
    /// <summary>Chains sampled per second by the generator alone (the baseline).</summary>
    [JsonPropertyName("baseline_chains_per_s")] public double BaselineChainsPerSecond { get; init; }
    /// <summary>Chains sampled per second when every role runs (reflect, refine, validate, explore, encode).</summary>
    [JsonPropertyName("pipeline_chains_per_s")] public double PipelineChainsPerSecond { get; init; }
    [JsonPropertyName("pipeline_generations_per_s")] public double PipelineGenerationsPerSecond { get; init; }
    /// <summary>Time of the full pipeline over time of the baseline, same requests, same run.</summary>
    [JsonPropertyName("pipeline_to_baseline_time_ratio")] public double PipelineToBaselineTimeRatio { get; init; }
    [JsonPropertyName("baseline_ms")] public required LatencySummary BaselineMs { get; init; }
    [JsonPropertyName("generation_ms")] public required LatencySummary GenerationMs { get; init; }
    [JsonPropertyName("cached_feature_ms")] public required LatencySummary CachedFeatureMs { get; init; }
}
