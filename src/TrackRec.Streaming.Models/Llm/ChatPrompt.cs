using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>A rendered prompt: the system and user messages of one chat completion.</summary>
public sealed record ChatPrompt(string System, string User)
{
    /// <summary>The prompt as the chat messages training records carry.</summary>
    public IReadOnlyList<PromptMessage> ToMessages() => [new("system", System), new("user", User)];
}
