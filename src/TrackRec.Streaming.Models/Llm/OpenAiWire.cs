using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// The OpenAI wire format, both ways, for the fields vLLM, llama.cpp server and Ollama share. Answers are read
/// leniently (missing optional fields, content as a string or as text parts) but anything the roles cannot do
/// without is a <see cref="FormatException"/>, which the client counts as a malformed answer.
/// </summary>
internal static class OpenAiWire
{
    /// <summary>The body of a POST /chat/completions.</summary>
    public static byte[] ChatBody(string model, ChatRequest request)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = request.Prompt.System },
                new JsonObject { ["role"] = "user", ["content"] = request.Prompt.User }),
            ["n"] = request.N,
            ["temperature"] = request.Temperature,
            ["max_tokens"] = request.MaxTokens,
            ["stream"] = false,
        };
        if (request.Logprobs)
        {
            body["logprobs"] = true;
            if (request.TopLogprobs > 0)
                body["top_logprobs"] = request.TopLogprobs;
        }
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>The body of a POST /embeddings.</summary>
    public static byte[] EmbeddingsBody(string model, IReadOnlyList<string> inputs)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["input"] = new JsonArray(inputs.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()),
            ["encoding_format"] = "float",
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    /// <summary>The choices of a chat completion, in index order.</summary>
    public static IReadOnlyList<ChatChoice> ParseChoices(string json)
    {
        using var document = Parse(json);
        if (!document.RootElement.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            throw new FormatException("the answer has no 'choices' array");
        var result = new List<ChatChoice>(choices.GetArrayLength());
        var position = 0;
        foreach (var choice in choices.EnumerateArray())
        {
            if (choice.ValueKind != JsonValueKind.Object)
                throw new FormatException("a choice is not an object");
            var index = choice.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : position;
            var content = choice.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("content", out var c) ? Content(c) : null;
            var finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            var (logProbability, first) = Logprobs(choice);
            result.Add(new ChatChoice(index, content, finish, logProbability, first));
            position++;
        }
        return result.OrderBy(c => c.Index).ToList();
    }

    /// <summary>The embedding vectors of an /embeddings answer, in input order.</summary>
    public static IReadOnlyList<float[]> ParseEmbeddings(string json, int expected)
    {
        using var document = Parse(json);
        if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw new FormatException("the answer has no 'data' array");
        var vectors = new float[]?[expected];
        var position = 0;
        foreach (var item in data.EnumerateArray())
        {
            var index = item.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : position;
            position++;
            if (index < 0 || index >= expected || vectors[index] is not null)
                throw new FormatException($"embedding index {index} is out of range or repeated for {expected} inputs");
            if (!item.TryGetProperty("embedding", out var embedding) || embedding.ValueKind != JsonValueKind.Array)
                throw new FormatException($"embedding {index} is not an array of numbers (was encoding_format=float ignored?)");
            var vector = new float[embedding.GetArrayLength()];
            var k = 0;
            foreach (var value in embedding.EnumerateArray())
                vector[k++] = value.ValueKind == JsonValueKind.Number ? value.GetSingle() : throw new FormatException($"embedding {index} holds a non-number");
            vectors[index] = vector;
        }
        if (position != expected)
            throw new FormatException($"{position} embeddings for {expected} inputs");
        return vectors.Select(v => v!).ToList();
    }

    private static JsonDocument Parse(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the answer is not JSON: {ex.Message}", ex);
        }
    }

    // A string, or (some servers) an array of parts {type: "text", text: "..."}.
    private static string? Content(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString(),
        JsonValueKind.Array => string.Concat(content.EnumerateArray()
            .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(p => p.GetProperty("text").GetString())),
        _ => null,
    };

    private static (double? Sum, IReadOnlyList<TokenLogprob> First) Logprobs(JsonElement choice)
    {
        if (!choice.TryGetProperty("logprobs", out var logprobs) || logprobs.ValueKind != JsonValueKind.Object
            || !logprobs.TryGetProperty("content", out var tokens) || tokens.ValueKind != JsonValueKind.Array || tokens.GetArrayLength() == 0)
            return (null, []);
        double sum = 0;
        var complete = true;
        foreach (var token in tokens.EnumerateArray())
        {
            if (Entry(token) is { } entry)
                sum += entry.Logprob;
            else
                complete = false;
        }
        var first = new List<TokenLogprob>();
        var head = tokens[0];
        if (Entry(head) is { } chosen)
            first.Add(chosen);
        if (head.ValueKind == JsonValueKind.Object && head.TryGetProperty("top_logprobs", out var top) && top.ValueKind == JsonValueKind.Array)
            first.AddRange(top.EnumerateArray().Select(Entry).OfType<TokenLogprob>());
        return (complete ? sum : null, first);
    }

    private static TokenLogprob? Entry(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String
            || !element.TryGetProperty("logprob", out var logprob))
            return null;
        double value;
        if (logprob.ValueKind == JsonValueKind.Number)
            value = logprob.GetDouble();
        else if (logprob.ValueKind == JsonValueKind.String && double.TryParse(logprob.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            value = parsed; // "-Infinity" from servers that print non-finite numbers as strings
        else
            return null;
        return double.IsNaN(value) ? null : new TokenLogprob(token.GetString()!, value);
    }
}
