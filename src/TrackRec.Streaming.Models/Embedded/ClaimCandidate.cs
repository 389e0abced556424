using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>A claim the policy may put in a chain, with the feature vector its score is computed from.</summary>
public sealed record ClaimCandidate(ChainClaim Claim, float[] Features);
