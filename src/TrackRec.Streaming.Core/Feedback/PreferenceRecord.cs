using System.Text.Json.Serialization;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Feedback;

/// <summary>
/// One generation turned into preference data (TrackRec's pairs, S-DPO's one-vs-many): the prompt the
/// generator saw, the chain with the highest mean reward as chosen and every other as rejected, ordered
/// best first. Keyed by <see cref="GenerationId"/> (the selected chain's deterministic id), so a replay
/// writes the same record again rather than a second one.
/// </summary>
/// <param name="Request">What the generator read; the embedded policy is retrained from it, an external trainer from <see cref="Prompt"/>.</param>
/// <param name="Prompt">The generator's prompt as chat messages (what an external trainer trains on).</param>
/// <param name="Samples">Every chain of the generation, in sampling order, with its mean reward.</param>
/// <param name="ChosenIndex">Index of the chosen chain in <see cref="Samples"/>.</param>
/// <param name="RejectedIndexes">Indexes of the rejected chains, best first (the last is plain DPO's rejected).</param>
/// <param name="Margin">Chosen mean reward minus the mean of the rejected ones.</param>
/// <param name="LabelImpressionIds">The labelled impressions the rewards were measured on.</param>
public sealed record PreferenceRecord(
    string GenerationId,
    string UserId,
    ChainRequest Request,
    IReadOnlyList<PromptMessage> Prompt,
    IReadOnlyList<RewardedSample> Samples,
    int ChosenIndex,
    IReadOnlyList<int> RejectedIndexes,
    double Margin,
    IReadOnlyList<string> LabelImpressionIds,
    ModelVersions Versions)
{
    /// <summary>Labelled outcomes behind the rewards.</summary>
    [JsonIgnore]
    public int LabelCount => LabelImpressionIds.Count;

    /// <summary>The chosen chain.</summary>
    [JsonIgnore]
    public RewardedSample Chosen => Samples[ChosenIndex];

    /// <summary>The rejected chains, best first.</summary>
    [JsonIgnore]
    public IEnumerable<RewardedSample> Rejected => RejectedIndexes.Select(i => Samples[i]);
}
