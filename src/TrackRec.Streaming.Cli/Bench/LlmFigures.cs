using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>The worker with its LLM roles on the stand-in server, under paced impressions.</summary>
internal sealed record LlmFigures
{
    [JsonPropertyName("service_time_ms")] public double ServiceTimeMs { get; init; }
    [JsonPropertyName("server_capacity")] public int ServerCapacity { get; init; }
    /// <summary>TrackRec:Models:Llm:MaxConcurrency as the worker read it.</summary>
    [JsonPropertyName("budget")] public int Budget { get; init; }
    [JsonPropertyName("in_flight_mean")] public double InFlightMean { get; init; }
    [JsonPropertyName("in_flight_max")] public int InFlightMax { get; init; }
    [JsonPropertyName("in_flight_mean_to_budget")] public double InFlightMeanToBudget { get; init; }
    /// <summary>Mean in flight over the samples (every 100 ms) at which the generation queue was non-empty; null without the queue instrument or a non-empty sample.</summary>
    [JsonPropertyName("in_flight_mean_while_queued")] public double? InFlightMeanWhileQueued { get; init; }
    [JsonPropertyName("impressions")] public long Impressions { get; init; }
    [JsonPropertyName("llm_calls")] public long LlmCalls { get; init; }
    [JsonPropertyName("calls_per_impression")] public double CallsPerImpression { get; init; }
    [JsonPropertyName("calls_per_impression_by_role")] public required IReadOnlyDictionary<string, double> CallsPerImpressionByRole { get; init; }
    [JsonPropertyName("llm_failures")] public long Failures { get; init; }
    [JsonPropertyName("malformed_answers")] public long MalformedAnswers { get; init; }
    /// <summary>Mean/max of trackrec.generation.queue.depth; null when the worker has no such instrument.</summary>
    [JsonPropertyName("queue_depth_mean")] public double? QueueDepthMean { get; init; }
    [JsonPropertyName("queue_depth_max")] public double? QueueDepthMax { get; init; }
    /// <summary>Mean/max of trackrec.generation.queue.age (in the instrument's unit); null when absent.</summary>
    [JsonPropertyName("queue_age_mean")] public double? QueueAgeMean { get; init; }
    [JsonPropertyName("queue_age_max")] public double? QueueAgeMax { get; init; }
    [JsonPropertyName("paced")] public required PacedFigures Paced { get; init; }
}
