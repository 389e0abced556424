using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Feedback;

/// <summary>
/// One supervised example for the validator: the chain the user was served (from the current generator),
/// the item shown to them and what they did. Keyed by impression and generation, so it is deterministic.
/// </summary>
/// <param name="Score">The validator's p for this (chain, item) when the label arrived, for calibration checks.</param>
public sealed record ValidatorRecord(
    string ImpressionId,
    string GenerationId,
    string UserId,
    int SampleIndex,
    ChainDraft Chain,
    CandidateItem Item,
    bool Clicked,
    double Score,
    DateTimeOffset ImpressionTime,
    ModelVersions Versions)
{
    /// <summary>The record's key.</summary>
    public string Key => $"{ImpressionId}/{GenerationId}";
}
