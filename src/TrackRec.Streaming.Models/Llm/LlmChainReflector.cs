using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// R4ec's reflection model on an LLM endpoint: asks whether the summary is reasonable given the history and
/// reads a strict VERDICT / CRITIQUE / FAILED answer (<see cref="ReflectionParser"/>). Runs at temperature 0:
/// a judge should not be sampled. An answer that does not follow the format is counted and thrown as
/// malformed, so the writer keeps the chain unrefined instead of acting on a guessed verdict.
/// </summary>
public sealed class LlmChainReflector : IChainReflector
{
    private const string Role = "reflection";

    private readonly OpenAiCompatibleClient _client;
    private readonly PromptRenderer _renderer;

    /// <summary>Creates the reflector on a client and the reflection template.</summary>
    public LlmChainReflector(OpenAiCompatibleClient client, PromptTemplates templates)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentNullException.ThrowIfNull(templates);
        _renderer = new PromptRenderer(templates, client.Options);
        Version = $"llm:{client.Options.Model}:{templates.Reflect.Version}";
    }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public async Task<Reflection> ReflectAsync(ChainRequest request, ChainDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(draft);
        var prompt = _renderer.Reflect(request, draft);
        var choices = await _client.CompleteAsync(Role, new ChatRequest(prompt, 1, 0, _client.Options.MaxTokens), cancellationToken).ConfigureAwait(false);
        var answer = choices.Count > 0 ? choices[0].Content : null;
        if (ReflectionParser.Parse(answer) is { } reflection)
            return reflection;
        _client.Counters.CountMalformed();
        throw new MalformedAnswerException(Role, $"no VERDICT: ACCEPT|REJECT (with a CRITIQUE for a rejection) in the answer '{Excerpt(answer)}'");
    }

    private static string Excerpt(string? answer)
    {
        var flat = (answer ?? string.Empty).ReplaceLineEndings(" ").Trim();
        return flat.Length <= 120 ? flat : string.Concat(flat.AsSpan(0, 120), "…");
    }
}
