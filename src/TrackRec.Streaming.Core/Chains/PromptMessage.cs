namespace TrackRec.Streaming.Chains;

/// <summary>One chat message of a prompt as a model role renders it (role "system", "user" or "assistant").</summary>
public sealed record PromptMessage(string Role, string Content);
