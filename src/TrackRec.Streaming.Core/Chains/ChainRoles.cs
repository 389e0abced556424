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
    /// <summary>
    /// The per-impression scorer: the validator's score of each served impression and the feedback rewards. It sits
    /// on the fast lane, so it should be cheap (an embedded validator, possibly distilled from an LLM validator's
    /// records); unset, the validator scores.
    /// </summary>
    public IChainValidator? Scorer { get; init; }

    /// <summary>The scorer in use: <see cref="Scorer"/>, or the validator.</summary>
    public IChainValidator ImpressionScorer => Scorer ?? Validator;

    /// <summary>The versions of the roles present.</summary>
    public ModelVersions Versions => new(
        Generator.Version,
        Reflector?.Version ?? string.Empty,
        Validator.Version,
        Encoder?.Version ?? string.Empty,
        Explorer?.Version ?? string.Empty);
}
