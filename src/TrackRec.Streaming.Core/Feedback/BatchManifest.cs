using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Feedback;

/// <summary>
/// What a batch holds and where it came from: written last, after every file it names, so its presence
/// means the batch is complete. Published to the manifest topic once durable.
/// </summary>
/// <param name="Replay">Set when a replay job wrote the batch.</param>
public sealed record BatchManifest(
    int FormatVersion,
    string BatchId,
    int Partition,
    IReadOnlyList<InputRange> InputRanges,
    DateTimeOffset FirstEventTime,
    DateTimeOffset LastEventTime,
    IReadOnlyList<ModelVersions> ModelVersions,
    int PreferenceRecords,
    int ValidatorRecords,
    IReadOnlyList<BatchFile> Files,
    ReplayProvenance? Replay)
{
    /// <summary>File name of the manifest in a batch.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The format this code writes.</summary>
    public const int CurrentFormat = 1;
}

/// <summary>One file of a batch.</summary>
/// <param name="Format">trl-dpo, sdpo, trl-sft, validator, openai-preference.</param>
public sealed record BatchFile(string Name, string Format, int Records, long Bytes, string Sha256);

/// <summary>The replay job that wrote a batch and the input range it read.</summary>
public sealed record ReplayProvenance(string JobId, string SourceRange);
