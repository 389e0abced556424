namespace TrackRec.Streaming.Chains;

/// <summary>One of the n chains sampled in a generation, with the reward it earned on the held-out outcomes.</summary>
/// <param name="Index">Position in the generation (0..n-1), part of its identity.</param>
/// <param name="HeldOutReward">Mean validator reward on the held-out outcomes; null when there were none or the validator failed.</param>
public sealed record SampledChain(int Index, ChainDraft Draft, double? HeldOutReward);
