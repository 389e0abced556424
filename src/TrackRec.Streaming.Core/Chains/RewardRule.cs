namespace TrackRec.Streaming.Chains;

/// <summary>How a chain's validator scores on a set of labelled outcomes become one reward.</summary>
public enum RewardRule
{
    /// <summary>
    /// TrackRec's reward: the mean of p for a click and 1 - p for no click. Where clicks are rare it is
    /// earned mostly on non-clicks, so the chain that makes the validator doubt everything wins.
    /// </summary>
    Accuracy,

    /// <summary>
    /// The mean of the two class means: p over the clicks and 1 - p over the rest, weighted alike. A chain
    /// earns it only by telling the user's clicks from their passes, so it is defined only on outcomes
    /// with both; on one class alone there is no reward yet.
    /// </summary>
    Balanced,
}
