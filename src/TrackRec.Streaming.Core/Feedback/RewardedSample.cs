using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Feedback;

/// <summary>One chain of a generation with the mean reward it earned on the outcomes that arrived after the generation.</summary>
/// <param name="Index">Position in the generation (0..n-1).</param>
/// <param name="MeanReward">The reward over the generation's labelled outcomes: p (click) or 1-p (no click), averaged as the writer's <see cref="RewardRule"/> says (plainly by default).</param>
public sealed record RewardedSample(int Index, ChainDraft Draft, double MeanReward);
