using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>What `trackrec bench stream` measured in one run, written as bench.json. Ratios are against the ceiling of the same run.</summary>
internal sealed record StreamBenchReport
{
    [JsonPropertyName("source")] public required string Source { get; init; }
    [JsonPropertyName("partitions")] public int Partitions { get; init; }
    [JsonPropertyName("processor_count")] public int ProcessorCount { get; init; }
    [JsonPropertyName("started_at")] public DateTimeOffset StartedAt { get; init; }
    [JsonPropertyName("input_events")] public long InputEvents { get; init; }
    [JsonPropertyName("ceiling")] public required ThroughputFigures Ceiling { get; init; }
    [JsonPropertyName("worker_feedback_on")] public required ThroughputFigures WorkerFeedbackOn { get; init; }
    [JsonPropertyName("worker_feedback_off")] public required ThroughputFigures WorkerFeedbackOff { get; init; }
    [JsonPropertyName("ratio_feedback_on")] public double RatioFeedbackOn { get; init; }
    [JsonPropertyName("ratio_feedback_off")] public double RatioFeedbackOff { get; init; }
    [JsonPropertyName("paced")] public required IReadOnlyList<PacedFigures> Paced { get; init; }
    /// <summary>Features arrived per second at each rate over the ceiling's events/s.</summary>
    [JsonPropertyName("paced_achieved_to_ceiling")] public required IReadOnlyList<double> PacedAchievedToCeiling { get; init; }
    [JsonPropertyName("llm")] public LlmFigures? Llm { get; init; }
    [JsonPropertyName("memory")] public required IReadOnlyList<MemoryFigures> Memory { get; init; }

    public static double Ratio(double subject, double ceiling) => ceiling > 0 ? Math.Round(subject / ceiling, 4) : 0;
}
