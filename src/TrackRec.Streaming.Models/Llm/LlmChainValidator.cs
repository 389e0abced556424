using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// TrackRec's validator V on an LLM endpoint: one chat request per item (max_tokens 1, temperature 0,
/// logprobs with the top alternatives) asking whether the user clicks the item given the chain as
/// <c>&lt;summary&gt;</c>; p = P(Yes) / (P(Yes) + P(No)) from the first answer token
/// (<see cref="YesNoProbability"/>). Items are scored concurrently, bounded by the client's concurrency.
/// A first token with neither Yes nor No among its alternatives is counted and thrown as malformed.
/// </summary>
public sealed class LlmChainValidator : IChainValidator
{
    private const string Role = "validator";

    private readonly OpenAiCompatibleClient _client;
    private readonly PromptRenderer _renderer;

    /// <summary>Creates the validator on a client and the validator template.</summary>
    public LlmChainValidator(OpenAiCompatibleClient client, PromptTemplates templates)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentNullException.ThrowIfNull(templates);
        _renderer = new PromptRenderer(templates, client.Options);
        Version = $"llm:{client.Options.Model}:{templates.Validator.Version}";
    }

    /// <inheritdoc />
    public string Version { get; }

    /// <summary>The endpoint client.</summary>
    public OpenAiCompatibleClient Client => _client;

    /// <inheritdoc />
    public IReadOnlyList<PromptMessage> RenderPrompt(ChainDraft chain, CandidateItem item) =>
        _renderer.Validator(chain, item).ToMessages();

    /// <inheritdoc />
    public async Task<IReadOnlyList<double>> ScoreAsync(ChainRequest request, ChainDraft chain, IReadOnlyList<CandidateItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
            return [];
        return await Task.WhenAll(items.Select(item => ScoreAsync(chain, item, cancellationToken))).ConfigureAwait(false);
    }

    private async Task<double> ScoreAsync(ChainDraft chain, CandidateItem item, CancellationToken cancellationToken)
    {
        var prompt = _renderer.Validator(chain, item);
        var ask = new ChatRequest(prompt, 1, 0, 1, Logprobs: true, TopLogprobs: _client.Options.ValidatorTopLogprobs);
        var choices = await _client.CompleteAsync(Role, ask, cancellationToken).ConfigureAwait(false);
        var alternatives = choices.Count > 0 ? choices[0].FirstTokenAlternatives : [];
        if (YesNoProbability.Score(alternatives) is { } p)
            return p;
        _client.Counters.CountMalformed();
        var listed = alternatives.Count == 0 ? "no log-probabilities (does the server support logprobs?)" : $"only {string.Join(", ", alternatives.Take(5).Select(a => $"'{a.Token}'"))}";
        throw new MalformedAnswerException(Role, $"neither Yes nor No among the first answer token's alternatives for item {item.ItemId}: {listed}");
    }
}
