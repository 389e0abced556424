namespace TrackRec.Streaming.Models.Llm;

/// <summary>A token and its log-probability, as a server lists it among a position's top alternatives.</summary>
public sealed record TokenLogprob(string Token, double Logprob);
