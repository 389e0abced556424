using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>How the policy composes a chain; stored with the policy so a version always samples the same way.</summary>
public sealed record ClaimPolicySettings
{
    /// <summary>Claims per chain (Plackett-Luce picks without replacement).</summary>
    [JsonPropertyName("claims_per_chain")] public int ClaimsPerChain { get; init; } = 4;

    /// <summary>Sampling temperature; the papers sample at 1.0.</summary>
    [JsonPropertyName("temperature")] public double Temperature { get; init; } = 1.0;

    /// <summary>Candidate claims considered per user at most.</summary>
    [JsonPropertyName("max_candidates")] public int MaxCandidates { get; init; } = 16;
}
