using System.Text.Json.Nodes;

namespace TrackRec.Streaming.Models.Llm.Testing;

/// <summary>A request the fake server received: path, Authorization header and the parsed JSON body.</summary>
public sealed record RecordedRequest(string Method, string Path, string? Authorization, string RawBody, JsonObject Body)
{
    /// <summary>The "n" the client asked for (1 when absent, as servers read it).</summary>
    public int N => Body["n"]?.GetValue<int>() ?? 1;

    /// <summary>The system message of a chat completion.</summary>
    public string System => Message("system");

    /// <summary>The user message of a chat completion.</summary>
    public string User => Message("user");

    private string Message(string role) =>
        Body["messages"]?.AsArray().FirstOrDefault(m => m?["role"]?.GetValue<string>() == role)?["content"]?.GetValue<string>() ?? string.Empty;
}
