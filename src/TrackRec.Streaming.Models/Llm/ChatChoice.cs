namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// One choice of a chat completion. <see cref="LogProbability"/> is the sum of the sampled tokens'
/// log-probabilities when the server reported them (log pi of the answer), else null.
/// <see cref="FirstTokenAlternatives"/> is the first answer token itself plus its listed top alternatives,
/// which is all the validator reads.
/// </summary>
public sealed record ChatChoice(
    int Index,
    string? Content,
    string? FinishReason,
    double? LogProbability,
    IReadOnlyList<TokenLogprob> FirstTokenAlternatives);
