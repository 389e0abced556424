namespace TrackRec.Streaming.Chains;

/// <summary>
/// A chain's reward on labelled outcomes: per outcome p for a click, 1 - p for no click (TrackRec), combined
/// over outcomes by a <see cref="RewardRule"/>. The one place both best-of-n selection and the preference
/// records take their rewards from.
/// </summary>
public static class Rewards
{
    /// <summary>The reward of one validator score on one label.</summary>
    public static double Of(double p, bool clicked) => clicked ? p : 1 - p;

    /// <summary>
    /// The reward over pairs under <paramref name="rule"/>, scores and labels in the same order; null where the rule
    /// has none (Balanced on one class).
    /// </summary>
    public static double? Mean(RewardRule rule, IReadOnlyList<double> scores, IReadOnlyList<bool> clicked)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(clicked);
        if (scores.Count != clicked.Count || scores.Count == 0)
            throw new ArgumentException($"{scores.Count} scores for {clicked.Count} labels");
        var sums = new RewardSums();
        for (var i = 0; i < scores.Count; i++)
            sums.Add(scores[i], clicked[i]);
        return sums.Reward(rule);
    }
}
