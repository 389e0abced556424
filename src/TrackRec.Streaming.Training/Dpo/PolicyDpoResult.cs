using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Training.Dpo;

/// <summary>
/// What a DPO update produced: the new policy weights and how the preferences moved. Accuracy is the share
/// of records whose chosen chain gained more log-probability against the reference than every rejected one
/// (h(chosen) &gt; max h(rejected)); before training it is 0 (all h are 0), so it measures what was learnt.
/// </summary>
public sealed record PolicyDpoResult(
    MlpWeights Weights,
    int Records,
    int Skipped,
    int TrainRecords,
    double InitialLoss,
    double TrainLoss,
    double ValidationLoss,
    double ValidationAccuracy,
    double MeanRewardMargin)
{
    /// <summary>Mean KL(updated || reference) of the first claim's distribution on the held-out records.</summary>
    public double KlToReference { get; init; } = double.NaN;

    /// <summary>Mean beta * (h(chosen) - mean h(rejected)) on the held-out records, h = log pi - log pi_ref.</summary>
    public double ImplicitRewardMargin { get; init; } = double.NaN;
}
