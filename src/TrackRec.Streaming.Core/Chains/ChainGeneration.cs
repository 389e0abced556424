namespace TrackRec.Streaming.Chains;

/// <summary>What one generation did, for the counters: the chain plus how reflection and the roles fared.</summary>
/// <param name="Rejections">Reflection verdicts that rejected a chain.</param>
/// <param name="Refinements">Chains rewritten after a rejection.</param>
public sealed record ChainGeneration(Chain Chain, int Rejections, int Refinements)
{
    /// <summary>True when a role failed and the chain is served marked degraded.</summary>
    public bool Degraded => Chain.DegradedRoles.Count > 0;
}
