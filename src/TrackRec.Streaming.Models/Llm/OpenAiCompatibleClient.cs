using System.Globalization;
using System.Net.Http.Headers;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// A client for one OpenAI-compatible server (vLLM, llama.cpp server, Ollama): chat completions and
/// embeddings behind bounded concurrency, a per-attempt timeout, retries with exponential backoff and jitter
/// (timeouts, connection errors, 5xx, 429) and a circuit breaker shared by every role on the endpoint, so a
/// sick server costs the partitions a fast failure (and a degraded feature) instead of stalled generations.
/// Every attempt is counted in <see cref="ModelCallCounters"/>.
/// </summary>
/// <remarks>
/// Raw <see cref="HttpClient"/> and System.Text.Json rather than Microsoft.Extensions.AI: <c>IChatClient</c>
/// carries neither <c>n</c> (several choices from one request, which best-of-n sampling wants) nor
/// <c>logprobs</c>/<c>top_logprobs</c> (which the validator's P(Yes)/P(No) and the generator's log pi need)
/// without falling back to the OpenAI SDK's raw request options, and the wire format the servers share is
/// small enough to speak directly (<see cref="OpenAiWire"/>).
/// </remarks>
public sealed class OpenAiCompatibleClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly LlmOptions _options;
    private readonly ModelCallCounters _counters;
    private readonly SemaphoreSlim _slots;
    private readonly ResiliencePipeline<EndpointReply> _calls;
    private readonly ResiliencePipeline _attemptTimeout;
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly Uri _chatUri;
    private readonly Uri _embeddingsUri;
    private readonly AuthenticationHeaderValue? _authorization;

    /// <summary>
    /// Creates the client. <paramref name="httpClient"/> is used as given (its base address and timeout are
    /// ignored: the endpoint and <see cref="LlmOptions.RequestTimeout"/> rule) and not disposed; without one the
    /// client makes and owns its own.
    /// </summary>
    public OpenAiCompatibleClient(LlmOptions options, ModelCallCounters counters, HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        LlmOptions.ThrowIfInvalid(options);
        _options = options;
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = 64 * 1024 * 1024,
        };
        _slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _chatUri = new Uri(options.EndpointUri, "chat/completions");
        _embeddingsUri = new Uri(options.EndpointUri, "embeddings");
        if (options.ResolveApiKey() is { Length: > 0 } apiKey)
            _authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        _attemptTimeout = new ResiliencePipelineBuilder().AddTimeout(options.RequestTimeout).Build();
        _calls = BuildPipeline(options, _circuit);
    }

    /// <summary>The settings in use.</summary>
    public LlmOptions Options => _options;

    /// <summary>Requests in flight now, against the budget <see cref="LlmOptions.MaxConcurrency"/>.</summary>
    public int InFlight => _options.MaxConcurrency - _slots.CurrentCount;

    /// <summary>True while the circuit breaker fails calls fast: the endpoint is considered down (readiness uses this, no extra request).</summary>
    public bool CircuitOpen => _circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>Where calls, failures and malformed answers are counted (the roles count what they cannot use too).</summary>
    public ModelCallCounters Counters => _counters;

    /// <summary>Sends one chat completion for <paramref name="role"/> and returns its choices (possibly fewer than asked: some servers ignore n).</summary>
    /// <exception cref="ModelEndpointException">The endpoint failed for good (retries spent, or the circuit open).</exception>
    /// <exception cref="MalformedAnswerException">The endpoint answered 2xx with something that is not a chat completion.</exception>
    public async Task<IReadOnlyList<ChatChoice>> CompleteAsync(string role, ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = await PostAsync(role, _chatUri, OpenAiWire.ChatBody(_options.Model, request), cancellationToken).ConfigureAwait(false);
        try
        {
            return OpenAiWire.ParseChoices(body);
        }
        catch (FormatException ex)
        {
            _counters.CountMalformed();
            throw new MalformedAnswerException(role, $"not a chat completion: {ex.Message}");
        }
    }

    /// <summary>Embeds <paramref name="inputs"/> with <paramref name="model"/> in one request; vectors in input order, as the server made them.</summary>
    /// <exception cref="ModelEndpointException">The endpoint failed for good.</exception>
    /// <exception cref="MalformedAnswerException">The answer is not one embedding per input.</exception>
    public async Task<IReadOnlyList<float[]>> EmbedAsync(string role, string model, IReadOnlyList<string> inputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0)
            return [];
        var body = await PostAsync(role, _embeddingsUri, OpenAiWire.EmbeddingsBody(model, inputs), cancellationToken).ConfigureAwait(false);
        try
        {
            return OpenAiWire.ParseEmbeddings(body, inputs.Count);
        }
        catch (FormatException ex)
        {
            _counters.CountMalformed();
            throw new MalformedAnswerException(role, $"not an embeddings answer: {ex.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
        _slots.Dispose();
    }

    // Retry outside the circuit breaker, so each attempt is one sample of the endpoint's health and an open
    // circuit ends the retries at once (BrokenCircuitException is not transient). The per-attempt timeout
    // sits inside the concurrency slot (AttemptAsync), so waiting for a slot never counts as the server's delay.
    private static ResiliencePipeline<EndpointReply> BuildPipeline(LlmOptions options, CircuitBreakerStateProvider circuit)
    {
        var builder = new ResiliencePipelineBuilder<EndpointReply>();
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<EndpointReply>
            {
                MaxRetryAttempts = options.MaxRetries,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
            });
        }
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<EndpointReply>
        {
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
            StateProvider = circuit,
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.CancellationToken)),
        });
        return builder.Build();
    }

    private static bool IsTransient(Outcome<EndpointReply> outcome, CancellationToken caller) => outcome.Exception switch
    {
        null => outcome.Result is { IsTransient: true },
        HttpRequestException or TimeoutRejectedException => true,
        // HttpClient.Timeout of a caller-supplied client: a timeout, unless the caller cancelled.
        OperationCanceledException => !caller.IsCancellationRequested,
        _ => false,
    };

    private async Task<string> PostAsync(string role, Uri uri, byte[] body, CancellationToken cancellationToken)
    {
        EndpointReply reply;
        try
        {
            reply = await _calls.ExecuteAsync(ct => AttemptAsync(uri, body, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            _counters.CountFailure();
            var until = ex.RetryAfter is { } after ? $" for about {after.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)}s" : string.Empty;
            throw new ModelEndpointException(role, EndpointFailure.CircuitOpen, $"the circuit to {uri} is open after repeated failures; not calling it{until}", null, ex);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new ModelEndpointException(role, EndpointFailure.Timeout, $"{uri} gave no answer within {_options.RequestTimeout} ({Attempts} attempts)", null, ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ModelEndpointException(role, EndpointFailure.Timeout, $"{uri} gave no answer before the HTTP client's timeout ({Attempts} attempts)", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ModelEndpointException(role, EndpointFailure.Connection, $"cannot reach {uri}: {ex.Message}", null, ex);
        }
        if (!reply.IsSuccess)
        {
            var attempts = reply.IsTransient ? $" ({Attempts} attempts)" : string.Empty;
            throw new ModelEndpointException(role, EndpointFailure.Status, $"{uri} answered {reply.StatusCode} {reply.ReasonPhrase}{attempts}: {Snippet(reply.Body)}", reply.StatusCode);
        }
        return reply.Body;
    }

    private int Attempts => _options.MaxRetries + 1;

    private async ValueTask<EndpointReply> AttemptAsync(Uri uri, byte[] body, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _counters.CountCall();
            var reply = await _attemptTimeout.ExecuteAsync(ct => SendAsync(uri, body, ct), cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
                _counters.CountFailure();
            return reply;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _counters.CountFailure();
            throw;
        }
        finally
        {
            _slots.Release();
        }
    }

    private async ValueTask<EndpointReply> SendAsync(Uri uri, byte[] body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Authorization = _authorization;
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return new EndpointReply((int)response.StatusCode, response.ReasonPhrase, text);
    }

    private static string Snippet(string body)
    {
        var flat = string.Join(' ', body.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 200 ? flat : string.Concat(flat.AsSpan(0, 200), "…");
    }
}
