using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// What a <see cref="IRoundTrainer"/> round produced. <see cref="Roles"/>: the roles to compute the next
/// features with; null means "load the CURRENT versions of the store" (<c>EmbeddedModelSet.Load</c>), which is
/// what a trainer that publishes new versions returns.
/// </summary>
/// <param name="Roles">The new roles, or null to load the store's current versions.</param>
/// <param name="MeanChosenRejectedMargin">Mean S-DPO margin of chosen over rejected chains in this round's G update, e.g. mean of beta * (h(y_w) - h(y_l)); null when not measured.</param>
public sealed record RoundResult(ChainRoles? Roles, double? MeanChosenRejectedMargin)
{
    /// <summary>Preference records (one chosen, several rejected) the G update trained on.</summary>
    public int? PreferencePairs { get; init; }

    /// <summary>Any further numbers the trainer wants in eval.json (train-side only: losses, train/validation AUC).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
}
