namespace TrackRec.Streaming.Models.Llm;

/// <summary>A rendered prompt: the system and user messages of one chat completion.</summary>
public sealed record ChatPrompt(string System, string User);
