using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>A bounded run over the whole stream: events moved, seconds from the first record consumed to the last output acknowledged.</summary>
internal sealed record ThroughputFigures(
    [property: JsonPropertyName("events")] long Events,
    [property: JsonPropertyName("outputs")] long Outputs,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    [JsonPropertyName("events_per_s")]
    public double EventsPerSecond => Seconds > 0 ? Math.Round(Events / Seconds, 1) : 0;
}
