using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// TrackRec's generator G (and R4ec's actor) on an LLM endpoint: n preference summaries from one chat
/// completion with <c>n</c>, topped up with parallel single requests when the server returns fewer choices
/// (llama.cpp server and Ollama ignore <c>n</c>). Empty answers are counted as malformed and dropped; the
/// call fails only when no usable summary came back at all.
/// </summary>
public sealed class LlmChainGenerator : IChainGenerator
{
    /// <summary>Rounds of single-request top-ups after the n request, so empty answers are replaced but a bad model cannot loop.</summary>
    private const int TopUpRounds = 2;

    private const string Role = "generator";

    private readonly OpenAiCompatibleClient _client;
    private readonly PromptRenderer _renderer;
    private readonly LlmOptions _options;

    // Set once a server answered an n > 1 request with one choice: later samples go straight to parallel requests.
    private volatile bool _serverIgnoresN;

    /// <summary>Creates the generator on a client and the generator and refinement templates.</summary>
    public LlmChainGenerator(OpenAiCompatibleClient client, PromptTemplates templates)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentNullException.ThrowIfNull(templates);
        _options = client.Options;
        _renderer = new PromptRenderer(templates, _options);
        Version = $"llm:{_options.Model}:{templates.Generator.Version},{templates.Refine.Version}";
    }

    /// <summary>The endpoint client (shared by every LLM role), for its health.</summary>
    public OpenAiCompatibleClient Client => _client;

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public IReadOnlyList<PromptMessage> RenderPrompt(ChainRequest request) =>
        _renderer.Generator(request).ToMessages();

    /// <inheritdoc />
    public async Task<IReadOnlyList<ChainDraft>> SampleAsync(ChainRequest request, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var prompt = _renderer.Generator(request);
        var drafts = new List<ChainDraft>(count);
        var answered = 0;
        if (count == 1 || !_serverIgnoresN)
        {
            var choices = await _client.CompleteAsync(Role, Ask(prompt, count), cancellationToken).ConfigureAwait(false);
            answered += choices.Count;
            if (count > 1 && choices.Count == 1)
                _serverIgnoresN = true;
            Keep(choices.Take(count), drafts);
        }
        for (var round = 0; round < TopUpRounds && drafts.Count < count; round++)
        {
            var missing = count - drafts.Count;
            var calls = Enumerable.Range(0, missing).Select(_ => _client.CompleteAsync(Role, Ask(prompt, 1), cancellationToken)).ToList();
            try
            {
                await Task.WhenAll(calls).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested && (drafts.Count > 0 || calls.Any(c => c.IsCompletedSuccessfully)))
            {
                // Fewer samples beat no chain: keep what the successful calls returned and stop leaning on a failing server.
                round = TopUpRounds;
            }
            foreach (var call in calls.Where(c => c.IsCompletedSuccessfully))
            {
                answered += call.Result.Count;
                Keep(call.Result.Take(1), drafts);
            }
        }
        if (drafts.Count == 0)
            throw new MalformedAnswerException(Role, $"no usable summary among {answered} choices");
        return drafts.Take(count).ToList();
    }

    /// <inheritdoc />
    public async Task<ChainDraft> RefineAsync(ChainRequest request, ChainDraft draft, Reflection reflection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(reflection);
        var prompt = _renderer.Refine(request, draft, reflection);
        var choices = await _client.CompleteAsync(Role, Ask(prompt, 1), cancellationToken).ConfigureAwait(false);
        var refined = new List<ChainDraft>(1);
        Keep(choices.Take(1), refined);
        if (refined.Count == 0)
            throw new MalformedAnswerException(Role, "the refinement answer is empty");
        // The writer counts the refinement; the draft keeps the count it came with.
        return refined[0] with { Refinements = draft.Refinements };
    }

    private ChatRequest Ask(ChatPrompt prompt, int n) =>
        new(prompt, n, _options.Temperature, _options.MaxTokens, Logprobs: _options.GeneratorLogprobs);

    private void Keep(IEnumerable<ChatChoice> choices, List<ChainDraft> drafts)
    {
        foreach (var choice in choices)
        {
            var text = SummaryText(choice.Content);
            if (text.Length == 0)
            {
                _client.Counters.CountMalformed();
                continue;
            }
            drafts.Add(new ChainDraft(text, [], choice.LogProbability));
        }
    }

    // The summary without a reasoning model's <think> block or <summary> tags the model echoed from the prompts.
    private static string SummaryText(string? content)
    {
        var text = content ?? string.Empty;
        var thought = text.LastIndexOf("</think>", StringComparison.OrdinalIgnoreCase);
        if (thought >= 0)
            text = text[(thought + "</think>".Length)..];
        text = text.Trim();
        if (text.StartsWith("<summary>", StringComparison.OrdinalIgnoreCase))
            text = text["<summary>".Length..];
        if (text.EndsWith("</summary>", StringComparison.OrdinalIgnoreCase))
            text = text[..^"</summary>".Length];
        return text.Trim();
    }
}
