namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>The chain features of a list of impressions under one set of roles, and what making them cost.</summary>
/// <param name="Impressions">The impressions, in the given order, with their chain and validator score.</param>
/// <param name="Generations">Chains written (the user's chain was missing or stale).</param>
/// <param name="CacheHits">Impressions served the user's cached chain.</param>
/// <param name="Failures">Generations that failed (the previous chain, if any, was served).</param>
public sealed record ChainFeatureRun(IReadOnlyList<EvalImpression> Impressions, int Generations, int CacheHits, int Failures, TimeSpan Elapsed);
