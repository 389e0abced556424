namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// One chat completion as the roles ask for it: the prompt, how many choices (<paramref name="N"/>), how they
/// are sampled, and whether token log-probabilities come back (the validator's P(Yes)/P(No), the generator's
/// log pi). Only the fields every OpenAI-compatible server understands.
/// </summary>
/// <param name="TopLogprobs">Alternatives listed per token when <paramref name="Logprobs"/> is set; 0 lists none.</param>
public sealed record ChatRequest(ChatPrompt Prompt, int N, double Temperature, int MaxTokens, bool Logprobs = false, int TopLogprobs = 0);
