using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// Settings of the LLM endpoint backend (section <see cref="Section"/>): where the OpenAI-compatible server
/// is, how hard the worker may lean on it (concurrency, timeouts, retries, circuit breaker) and how much of a
/// user's history and text a prompt may carry. Every validation message names the full configuration key, so
/// a bad deployment says which setting to fix.
/// </summary>
public sealed class LlmOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "TrackRec:Models:Llm";

    private const string Key = Section + ":";

    /// <summary>Base URL of the OpenAI-compatible API, up to and including its version path (e.g. http://localhost:8000/v1).</summary>
    [Required(ErrorMessage = Key + "Endpoint is required: the server's OpenAI-compatible base URL, e.g. http://localhost:8000/v1")]
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>Chat model name as the server knows it; part of every role's version.</summary>
    [Required(ErrorMessage = Key + "Model is required: the chat model name the server serves")]
    public string Model { get; set; } = string.Empty;

    /// <summary>Sent as a Bearer token when set and not empty (vLLM's --api-key, hosted gateways); local servers need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// A file holding the bearer token instead (a mounted secret, e.g. /run/secrets/llm-api-key), read at start-up
    /// with surrounding whitespace trimmed. Set this or <see cref="ApiKey"/> (from configuration or the
    /// environment variable <c>TrackRec__Models__Llm__ApiKey</c>), not both.
    /// </summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>How long one HTTP attempt may take, answer included, before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00", ErrorMessage = Key + "RequestTimeout must be between 10ms and 10 minutes")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests in flight at once, across every role sharing the endpoint: keeps a burst of regenerations from swamping the server.</summary>
    [Range(1, 1024, ErrorMessage = Key + "MaxConcurrency must be between 1 and 1024")]
    public int MaxConcurrency { get; set; } = 32;

    /// <summary>Retries after a failed attempt (timeout, connection error, 5xx, 429); 0 disables retrying.</summary>
    [Range(0, 10, ErrorMessage = Key + "MaxRetries must be between 0 and 10")]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay; later ones grow exponentially, with jitter so workers do not retry in step.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = Key + "RetryBaseDelay must be between 0 and 1 minute")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest delay between two attempts, however many retries came before.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = Key + "MaxRetryDelay must be between 0 and 10 minutes")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Share of failed attempts within <see cref="CircuitSamplingDuration"/> that opens the circuit.</summary>
    [Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = Key + "CircuitFailureRatio must be greater than 0 and at most 1")]
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts within <see cref="CircuitSamplingDuration"/> before the ratio is trusted enough to open the circuit.</summary>
    [Range(2, 100_000, ErrorMessage = Key + "CircuitMinimumThroughput must be between 2 and 100000")]
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>Window the failure ratio is measured over.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ErrorMessage = Key + "CircuitSamplingDuration must be between 500ms and 1 hour")]
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls fast, without reaching the server, before one trial call.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00", ErrorMessage = Key + "CircuitBreakDuration must be between 500ms and 1 hour")]
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sampling temperature of the generator and refinement (n samples must differ); reflection and validation run at 0.</summary>
    [Range(0.0, 2.0, ErrorMessage = Key + "Temperature must be between 0 and 2")]
    public double Temperature { get; set; } = 1.0;

    /// <summary>Most tokens a generator, refinement or reflection answer may have (a 200-word summary needs about 300).</summary>
    [Range(16, 32_768, ErrorMessage = Key + "MaxTokens must be between 16 and 32768")]
    public int MaxTokens { get; set; } = 512;

    /// <summary>Ask the generator for token log-probabilities, so a chain carries log pi(chain | prompt); turn off for servers that reject logprobs.</summary>
    public bool GeneratorLogprobs { get; set; } = true;

    /// <summary>Alternatives listed for the validator's first answer token (where Yes and No are looked for); OpenAI and vLLM allow at most 20.</summary>
    [Range(2, 20, ErrorMessage = Key + "ValidatorTopLogprobs must be between 2 and 20")]
    public int ValidatorTopLogprobs { get; set; } = 20;

    /// <summary>Characters of one user comment a prompt may quote (fenced, neutralised, cut).</summary>
    [Range(1, 4000, ErrorMessage = Key + "MaxUserTextChars must be between 1 and 4000")]
    public int MaxUserTextChars { get; set; } = 280;

    /// <summary>Characters of one item title a prompt may quote: catalog text is untrusted too.</summary>
    [Range(1, 1000, ErrorMessage = Key + "MaxTitleChars must be between 1 and 1000")]
    public int MaxTitleChars { get; set; } = 120;

    /// <summary>Characters of a chain (model text) a reflection, refinement or validator prompt may carry.</summary>
    [Range(100, 20_000, ErrorMessage = Key + "MaxChainChars must be between 100 and 20000")]
    public int MaxChainChars { get; set; } = 2000;

    /// <summary>Most recent history interactions rendered in a prompt (older ones are left out, keeping prompts bounded).</summary>
    [Range(1, 500, ErrorMessage = Key + "HistoryItems must be between 1 and 500")]
    public int HistoryItems { get; set; } = 30;

    /// <summary>A directory of template files (generator.vN.txt, refine.vN.txt, reflect.vN.txt, validator.vN.txt) overriding the embedded ones.</summary>
    public string? TemplatesDirectory { get; set; }

    /// <summary>Embedding model for the encoder role through /embeddings; unset means the LLM backend brings no encoder.</summary>
    public string? EmbeddingModel { get; set; }

    /// <summary>Length of the embedding vectors; 0 learns it from the first answer.</summary>
    [Range(0, 65_536, ErrorMessage = Key + "EmbeddingDimension must be between 0 (learn from the first answer) and 65536")]
    public int EmbeddingDimension { get; set; }

    /// <summary>Texts sent in one /embeddings request at most.</summary>
    [Range(1, 2048, ErrorMessage = Key + "EmbeddingBatchSize must be between 1 and 2048")]
    public int EmbeddingBatchSize { get; set; } = 64;

    /// <summary>The bearer token: <see cref="ApiKey"/>, or what <see cref="ApiKeyFile"/> holds; null when neither is set. Call only on validated options.</summary>
    internal string? ResolveApiKey() =>
        !string.IsNullOrWhiteSpace(ApiKey) ? ApiKey
        : !string.IsNullOrWhiteSpace(ApiKeyFile) ? ReadKeyFile()
        : null;

    private string? ReadKeyFile()
    {
        try
        {
            return File.ReadAllText(ApiKeyFile!).Trim();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The endpoint as a URI; call only on validated options.</summary>
    internal Uri EndpointUri => new(Endpoint.TrimEnd('/') + "/", UriKind.Absolute);

    /// <summary>Every problem of the settings, each naming its key; empty when they are valid.</summary>
    public static IReadOnlyList<string> Validate(LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        var context = new ValidationContext(options);
        // When an attribute check fails, the cross-field checks are skipped; run them anyway (and drop the
        // repeats when they did run), so one pass names every bad setting.
        if (!Validator.TryValidateObject(options, context, results, validateAllProperties: true))
            results.AddRange(options.Validate(context));
        return results.Select(r => r.ErrorMessage ?? string.Join(", ", r.MemberNames)).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem when the settings are invalid.</summary>
    public static void ThrowIfInvalid(LlmOptions options)
    {
        var problems = Validate(options);
        if (problems.Count > 0)
            throw new OptionsValidationException(Section, typeof(LlmOptions), problems);
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Endpoint) && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment)))
            yield return new ValidationResult($"{Key}Endpoint must be an absolute http(s) URL without query, e.g. http://localhost:8000/v1 (got '{Endpoint}')", [nameof(Endpoint)]);
        if (ApiKey is { Length: > 0 } key && key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            yield return new ValidationResult($"{Key}ApiKey must be a token without whitespace (or unset)", [nameof(ApiKey)]);
        if (!string.IsNullOrWhiteSpace(ApiKeyFile))
        {
            // The messages name the setting and the file, never what the file holds.
            if (!string.IsNullOrWhiteSpace(ApiKey))
                yield return new ValidationResult($"{Key}ApiKeyFile and {Key}ApiKey are both set; set one", [nameof(ApiKeyFile)]);
            else if (!File.Exists(ApiKeyFile))
                yield return new ValidationResult($"{Key}ApiKeyFile '{ApiKeyFile}' does not exist", [nameof(ApiKeyFile)]);
            else if (ReadKeyFile() is not { Length: > 0 } fromFile || fromFile.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                yield return new ValidationResult($"{Key}ApiKeyFile '{ApiKeyFile}' must hold one token without whitespace", [nameof(ApiKeyFile)]);
        }
        if (MaxRetryDelay < RetryBaseDelay)
            yield return new ValidationResult($"{Key}MaxRetryDelay must not be shorter than {Key}RetryBaseDelay", [nameof(MaxRetryDelay)]);
        if (!string.IsNullOrWhiteSpace(TemplatesDirectory) && !Directory.Exists(TemplatesDirectory))
            yield return new ValidationResult($"{Key}TemplatesDirectory '{TemplatesDirectory}' does not exist", [nameof(TemplatesDirectory)]);
        if (EmbeddingModel is { } model && string.IsNullOrWhiteSpace(model))
            yield return new ValidationResult($"{Key}EmbeddingModel must be unset or a model name", [nameof(EmbeddingModel)]);
    }
}
