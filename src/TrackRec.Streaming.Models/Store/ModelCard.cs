using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Models.Store;

/// <summary>
/// What a model version is and where it came from, written next to its files as card.json: the role it
/// plays, its version (carried by every feature it helps make), when it was made and from which data.
/// </summary>
public sealed record ModelCard
{
    /// <summary>The role: generator, validator, encoder, explorer.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>Version string, unique per name (e.g. "generator-v3").</summary>
    [JsonPropertyName("version")] public required string Version { get; init; }

    /// <summary>Wall-clock time the version was written.</summary>
    [JsonPropertyName("created_at")] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The data it was trained on.</summary>
    [JsonPropertyName("training_data")] public required TrainingDataRange TrainingData { get; init; }

    /// <summary>The version it was trained from (the reference model of a DPO round); null for a bootstrap.</summary>
    [JsonPropertyName("parent_version")] public string? ParentVersion { get; init; }

    /// <summary>Files of the version, relative to its directory.</summary>
    [JsonPropertyName("files")] public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>SHA-256 (lower-case hex) of each file, recorded at publish; the loader refuses a version whose files differ. Empty on cards written before hashes were recorded.</summary>
    [JsonPropertyName("sha256")] public IReadOnlyDictionary<string, string> Sha256 { get; init; } = new Dictionary<string, string>();

    /// <summary>Figures measured while training (loss, AUC on a held-out slice...).</summary>
    [JsonPropertyName("metrics")] public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>Free-form settings the serving side needs (dimension, temperature...).</summary>
    [JsonPropertyName("settings")] public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>The slice of a stream or dataset a model was trained on.</summary>
/// <param name="Source">A description of the input (dataset path, topic, simulator seed).</param>
/// <param name="From">Event time of the first event used.</param>
/// <param name="To">Event time of the last event used.</param>
/// <param name="Events">Events read.</param>
/// <param name="Examples">Training examples made from them.</param>
public sealed record TrainingDataRange(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("from")] DateTimeOffset From,
    [property: JsonPropertyName("to")] DateTimeOffset To,
    [property: JsonPropertyName("events")] long Events,
    [property: JsonPropertyName("examples")] long Examples);
