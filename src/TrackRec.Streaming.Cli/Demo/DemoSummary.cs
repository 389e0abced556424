using System.Text.Json.Serialization;
using TrackRec.Streaming.Chains;

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
    [JsonPropertyName("generations")] public long Generations { get; init; }
    [JsonPropertyName("chains_generated")] public long ChainsGenerated { get; init; }
    [JsonPropertyName("chains_refined")] public long ChainsRefined { get; init; }
    [JsonPropertyName("reflection_rejections")] public long ReflectionRejections { get; init; }
    [JsonPropertyName("validator_auc")] public double? ValidatorAuc { get; init; }
    [JsonPropertyName("validator_scored")] public long ValidatorScored { get; init; }
    [JsonPropertyName("mean_selected_reward")] public double? MeanSelectedReward { get; init; }
    [JsonPropertyName("mean_sampled_reward")] public double? MeanSampledReward { get; init; }
    [JsonPropertyName("reward_pairs")] public long RewardPairs { get; init; }
    [JsonPropertyName("dpo_records")] public long DpoRecords { get; init; }
    [JsonPropertyName("validator_records")] public long ValidatorRecords { get; init; }
    [JsonPropertyName("dpo_batches")] public long DpoBatches { get; init; }
    [JsonPropertyName("feedback_lost")] public long FeedbackLost { get; init; }
    [JsonPropertyName("llm_calls")] public long LlmCalls { get; init; }
    [JsonPropertyName("llm_failures")] public long LlmFailures { get; init; }
    [JsonPropertyName("malformed_answers")] public long MalformedAnswers { get; init; }
    [JsonPropertyName("evaluate_from")] public DateTimeOffset EvaluateFrom { get; init; }
    [JsonPropertyName("training")] public TrainingSummary? Training { get; init; }
    [JsonPropertyName("model_versions_used")] public required ModelVersions ModelVersionsUsed { get; init; }
    [JsonPropertyName("chain_cache_hits")] public long ChainCacheHits { get; init; }
    [JsonPropertyName("fresh_features")] public long FreshFeatures { get; init; }
    [JsonPropertyName("stale_features")] public long StaleFeatures { get; init; }
    [JsonPropertyName("no_chain_features")] public long NoChainFeatures { get; init; }
    [JsonPropertyName("failed_generations")] public long FailedGenerations { get; init; }
    [JsonPropertyName("degraded_features")] public long DegradedFeatures { get; init; }
    [JsonPropertyName("generator_version")] public required string GeneratorVersion { get; init; }
    [JsonPropertyName("malformed_injected")] public long MalformedInjected { get; init; }
    [JsonPropertyName("input_lines_skipped")] public long InputLinesSkipped { get; init; }
    [JsonPropertyName("feature_latency_ms")] public required LatencySummary FeatureLatencyMs { get; init; }
    [JsonPropertyName("fresh_feature_latency_ms")] public required LatencySummary FreshFeatureLatencyMs { get; init; }
    [JsonPropertyName("cached_feature_latency_ms")] public required LatencySummary CachedFeatureLatencyMs { get; init; }
    [JsonPropertyName("generation_latency_ms")] public required LatencySummary GenerationLatencyMs { get; init; }
    [JsonPropertyName("chains_per_s")] public double ChainsPerSecond { get; init; }
    [JsonPropertyName("produce_s")] public double ProduceSeconds { get; init; }
    [JsonPropertyName("elapsed_s")] public double ElapsedSeconds { get; init; }
    [JsonPropertyName("events_per_s")] public double EventsPerSecond { get; init; }
}

/// <summary>Percentiles of a latency, in milliseconds.</summary>
internal sealed record LatencySummary(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p99")] double P99)
{
    public static LatencySummary Of(Kafka.Diagnostics.LatencyRecorder recorder) =>
        new(Math.Round(recorder.Percentile(0.5), 3), Math.Round(recorder.Percentile(0.99), 3));
}

/// <summary>What the demo trained before it ran (absent when the model directory already had models).</summary>
internal sealed record TrainingSummary(
    [property: JsonPropertyName("warmup_events")] long WarmupEvents,
    [property: JsonPropertyName("examples")] long Examples,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("versions")] IReadOnlyList<string> Versions);
