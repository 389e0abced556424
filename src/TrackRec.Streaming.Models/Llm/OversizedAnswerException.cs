namespace TrackRec.Streaming.Models.Llm;

/// <summary>An answer longer than TrackRec:Models:Llm:MaxResponseBytes: the server is broken (or hostile), not busy, so it is not retried.</summary>
internal sealed class OversizedAnswerException(string message) : Exception(message);
