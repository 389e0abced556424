namespace TrackRec.Streaming.Chains;

/// <summary>
/// The model roles one generation uses. Reflection, exploration and encoding are optional: without them a
/// chain is simply not refined, has no exploration candidates, or no embedding.
/// </summary>
public sealed record ChainRoles(
    IChainGenerator Generator,
    IChainValidator Validator,
    IChainReflector? Reflector = null,
    IInterestExplorer? Explorer = null,
    IChainEncoder? Encoder = null)
{
    /// <summary>The versions of the roles present.</summary>
    public ModelVersions Versions => new(
        Generator.Version,
        Reflector?.Version ?? string.Empty,
        Validator.Version,
        Encoder?.Version ?? string.Empty,
        Explorer?.Version ?? string.Empty);
}
