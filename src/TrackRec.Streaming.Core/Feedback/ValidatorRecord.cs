using System.Text.Json.Serialization;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Feedback;

/// <summary>
/// One supervised example for the validator: the chain the user was served (from the current generator),
/// the item shown to them and what they did. Keyed by impression and generation, so it is deterministic.
/// </summary>
/// <param name="Prompt">The validator's question for this (chain, item) as chat messages; the answer is Yes for a click.</param>
/// <param name="Score">The validator's p for this (chain, item) when the label arrived, for calibration checks.</param>
public sealed record ValidatorRecord(
    string ImpressionId,
    string GenerationId,
    string UserId,
    int SampleIndex,
    ChainDraft Chain,
    CandidateItem Item,
    IReadOnlyList<PromptMessage> Prompt,
    bool Clicked,
    double Score,
    DateTimeOffset ImpressionTime,
    ModelVersions Versions)
{
    /// <summary>The record's key.</summary>
    [JsonIgnore]
    public string Key => $"{ImpressionId}/{GenerationId}";
}
