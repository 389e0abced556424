namespace TrackRec.Streaming.Models.Llm.Testing;

/// <summary>
/// A stand-in LLM behind the fake OpenAI server, answering each role in the shape the papers' prompts ask
/// for: the generator samples n summaries (one with a claim the history cannot support), the judge rejects
/// that claim, refinement removes it, and the validator answers Yes/No through first-token log-probabilities.
/// Deterministic, so a demo run against it has fixed counts. Lives in src so `bench stream --llm` and the tests share it.
/// </summary>
public static class ScriptedPreferenceModel
{
    public const string Unsupported = "adores opera";

    public static ScriptedReply Answer(RecordedRequest request)
    {
        if (request.Path.EndsWith("/chat/completions", StringComparison.Ordinal) is false)
            return ScriptedReply.Error(404);
        if (request.Body["max_tokens"]?.GetValue<int>() == 1)
            return Validate(request.User);
        if (request.System.Contains("careful reviewer", StringComparison.Ordinal))
            return request.User.Contains(Unsupported, StringComparison.Ordinal)
                ? ScriptedReply.Chat($"VERDICT: REJECT\nCRITIQUE: Opera never appears in the history.\nFAILED: {Unsupported}")
                : ScriptedReply.Chat("VERDICT: ACCEPT\nCRITIQUE: none\nFAILED: none");
        if (request.User.Contains("A reviewer judged the summary unreasonable", StringComparison.Ordinal))
            return ScriptedReply.ChatWithLogprobs(("The user prefers what they clicked recently.", [-0.4, -0.6]));
        return ScriptedReply.ChatWithLogprobs(Enumerable.Range(0, request.N)
            .Select(k => (k == 0 ? $"The user {Unsupported}." : $"The user prefers what they clicked recently (reading {k}).", new[] { -0.5, -0.1 * k }))
            .ToArray());
    }

    // P(Yes) varies with the item so that selection has something to choose between.
    private static ScriptedReply Validate(string prompt)
    {
        var p = 0.2 + (0.6 * (StableHash(prompt) % 100) / 100.0);
        return ScriptedReply.FirstToken(("Yes", Math.Log(p)), ("No", Math.Log(1 - p)));
    }

    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
            hash = (hash ^ c) * 16777619u;
        return hash;
    }

    /// <summary>The role a recorded request was for.</summary>
    public static string RoleOf(RecordedRequest request) =>
        request.Body["max_tokens"]?.GetValue<int>() == 1 ? "validator"
        : request.System.Contains("careful reviewer", StringComparison.Ordinal) ? "reflection"
        : request.User.Contains("A reviewer judged the summary unreasonable", StringComparison.Ordinal) ? "refine"
        : "generator";
}
