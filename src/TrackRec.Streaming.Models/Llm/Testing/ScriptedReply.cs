using System.Text.Json.Nodes;

namespace TrackRec.Streaming.Models.Llm.Testing;

/// <summary>What the fake server answers: a status and a body, with builders for the OpenAI shapes the tests need.</summary>
public sealed record ScriptedReply(int Status, string Body)
{
    /// <summary>A chat completion with one choice per content (null content allowed).</summary>
    public static ScriptedReply Chat(params string?[] contents) =>
        Completion(contents.Select((c, i) => Choice(i, c, null)).ToArray());

    /// <summary>A chat completion whose choices carry per-token log-probabilities.</summary>
    public static ScriptedReply ChatWithLogprobs(params (string Content, double[] TokenLogprobs)[] choices) =>
        Completion(choices.Select((c, i) => Choice(i, c.Content, new JsonObject
        {
            ["content"] = new JsonArray(c.TokenLogprobs.Select((lp, k) => (JsonNode?)new JsonObject { ["token"] = $"t{k}", ["logprob"] = lp, ["top_logprobs"] = new JsonArray() }).ToArray()),
        })).ToArray());

    /// <summary>A one-token answer whose first token lists <paramref name="top"/> as its top alternatives (the first one is the sampled token).</summary>
    public static ScriptedReply FirstToken(params (string Token, double Logprob)[] top) =>
        Completion(Choice(0, top.Length > 0 ? top[0].Token : string.Empty, new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject
            {
                ["token"] = top.Length > 0 ? top[0].Token : string.Empty,
                ["logprob"] = top.Length > 0 ? top[0].Logprob : 0,
                ["top_logprobs"] = new JsonArray(top.Select(t => (JsonNode?)new JsonObject { ["token"] = t.Token, ["logprob"] = t.Logprob }).ToArray()),
            }),
        }));

    /// <summary>An /embeddings answer; each vector with its index, in the order given.</summary>
    public static ScriptedReply Embeddings(params (int Index, float[] Vector)[] data) => new(200, new JsonObject
    {
        ["object"] = "list",
        ["data"] = new JsonArray(data.Select(d => (JsonNode?)new JsonObject
        {
            ["object"] = "embedding",
            ["index"] = d.Index,
            ["embedding"] = new JsonArray(d.Vector.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
        }).ToArray()),
    }.ToJsonString());

    /// <summary>An error status with an OpenAI-style error body.</summary>
    public static ScriptedReply Error(int status) =>
        new(status, new JsonObject { ["error"] = new JsonObject { ["message"] = $"scripted {status}", ["type"] = "server_error" } }.ToJsonString());

    private static JsonObject Choice(int index, string? content, JsonObject? logprobs) => new()
    {
        ["index"] = index,
        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
        ["logprobs"] = logprobs,
        ["finish_reason"] = "stop",
    };

    private static ScriptedReply Completion(params JsonObject[] choices) => new(200, new JsonObject
    {
        ["id"] = "chatcmpl-test",
        ["object"] = "chat.completion",
        ["model"] = "test-model",
        ["choices"] = new JsonArray(choices.Select(c => (JsonNode?)c).ToArray()),
    }.ToJsonString());
}
