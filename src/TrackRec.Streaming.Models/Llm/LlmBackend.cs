using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// The LLM endpoint backend in one piece: one client (so the roles share the concurrency bound and the
/// circuit breaker: the endpoint is sick for all of them at once) and the generator, reflector, validator
/// and, when <see cref="LlmOptions.EmbeddingModel"/> is set, the encoder on it. Disposing it disposes the
/// client (and the HttpClient when the backend made it).
/// </summary>
public sealed class LlmBackend : IDisposable
{
    private LlmBackend(OpenAiCompatibleClient client, PromptTemplates templates)
    {
        Client = client;
        Templates = templates;
        Generator = new LlmChainGenerator(client, templates);
        Reflector = new LlmChainReflector(client, templates);
        Validator = new LlmChainValidator(client, templates);
        Encoder = string.IsNullOrWhiteSpace(client.Options.EmbeddingModel) ? null : new HttpEmbeddingEncoder(client);
    }

    /// <summary>The shared endpoint client.</summary>
    public OpenAiCompatibleClient Client { get; }

    /// <summary>The prompt templates in use.</summary>
    public PromptTemplates Templates { get; }

    /// <summary>TrackRec's G / R4ec's actor.</summary>
    public LlmChainGenerator Generator { get; }

    /// <summary>R4ec's reflection model.</summary>
    public LlmChainReflector Reflector { get; }

    /// <summary>TrackRec's V.</summary>
    public LlmChainValidator Validator { get; }

    /// <summary>The /embeddings encoder, or null when no embedding model is configured.</summary>
    public HttpEmbeddingEncoder? Encoder { get; }

    /// <summary>
    /// Validates <paramref name="options"/> (throwing <see cref="Microsoft.Extensions.Options.OptionsValidationException"/>
    /// naming each bad setting), loads the templates (embedded, or overridden from
    /// <see cref="LlmOptions.TemplatesDirectory"/>) and builds the roles on one client.
    /// </summary>
    public static LlmBackend Create(LlmOptions options, HttpClient? httpClient, ModelCallCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        LlmOptions.ThrowIfInvalid(options);
        var templates = PromptTemplates.Load(options.TemplatesDirectory);
        return new LlmBackend(new OpenAiCompatibleClient(options, counters, httpClient), templates);
    }

    /// <inheritdoc />
    public void Dispose() => Client.Dispose();
}
