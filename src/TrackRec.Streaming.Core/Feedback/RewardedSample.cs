using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Feedback;

/// <summary>One chain of a generation with the mean reward it earned on the outcomes that arrived after the generation.</summary>
/// <param name="Index">Position in the generation (0..n-1).</param>
/// <param name="MeanReward">Mean of p (click) or 1-p (no click) over the generation's labelled outcomes.</param>
public sealed record RewardedSample(int Index, ChainDraft Draft, double MeanReward);
