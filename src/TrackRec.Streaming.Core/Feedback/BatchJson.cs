using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Feedback;

/// <summary>The JSON conventions of batch files: snake_case names, enums as snake_case strings, one record per line.</summary>
public static class BatchJson
{
    /// <summary>Options for every batch file and the manifest.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The manifest, indented for people who open it.</summary>
    public static JsonSerializerOptions Manifest { get; } = new(Options) { WriteIndented = true };
}
