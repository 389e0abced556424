using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>Managed heap per active user (after a full collection), in total and by what holds it.</summary>
internal sealed record MemoryFigures
{
    [JsonPropertyName("users")] public int Users { get; init; }
    [JsonPropertyName("history_length")] public int HistoryLength { get; init; }
    [JsonPropertyName("outcome_length")] public int OutcomeLength { get; init; }
    /// <summary>Null when the phase was skipped (see <see cref="Skipped"/>).</summary>
    [JsonPropertyName("bytes_per_user")] public double? BytesPerUser { get; init; }
    /// <summary>Bytes per user by part: user index (ids, dictionary, recency list, empty histories), history entries, outcomes, and the cached chain: the selected chain, the other samples of its generation, the request it was written from.</summary>
    [JsonPropertyName("breakdown_bytes_per_user")] public IReadOnlyDictionary<string, double> Breakdown { get; init; } = new Dictionary<string, double>();
    [JsonPropertyName("skipped")] public string? Skipped { get; init; }
}
