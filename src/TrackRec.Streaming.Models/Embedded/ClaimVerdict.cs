namespace TrackRec.Streaming.Models.Embedded;

/// <summary>How a claim stands against the history's evidence.</summary>
public enum ClaimVerdict
{
    /// <summary>The history backs the claim.</summary>
    Supported,
    /// <summary>The history has no evidence for the claim.</summary>
    Unsupported,
    /// <summary>The history says the opposite.</summary>
    Contradicted,
}
