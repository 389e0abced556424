namespace TrackRec.Streaming.Chains;

/// <summary>
/// One chain sampled by a generator, before selection. <see cref="Claims"/> is the chain's structure when
/// the generator composes from claims (the embedded policy); an LLM's free text has none.
/// <see cref="LogProbability"/> is log pi(chain | prompt) under the generator that sampled it: exact for
/// the embedded policy (the DPO loss needs it), the sum of token log-probabilities for an LLM that
/// reports them, otherwise null.
/// </summary>
/// <param name="Refinements">How many times reflection sent the chain back to the generator.</param>
public sealed record ChainDraft(
    string Text,
    IReadOnlyList<ChainClaim> Claims,
    double? LogProbability,
    int Refinements = 0);
