using System.Diagnostics;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Llm;

namespace TrackRec.Streaming.Tests.Llm;

public sealed class OpenAiCompatibleClientTests
{
    private static readonly ChainDraft Draft = new("The user loves horror.", [], null);
    private const string Accept = "VERDICT: ACCEPT\nCRITIQUE: none\nFAILED: none";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_5xx_then_200_is_retried_and_succeeds()
    {
        var calls = 0;
        await using var server = FakeOpenAiServer.Start(_ => Interlocked.Increment(ref calls) == 1 ? ScriptedReply.Error(503) : ScriptedReply.Chat(Accept));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters);

        var reflection = await backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct);

        Assert.True(reflection.Accepted);
        Assert.Equal(2, counters.Calls);
        Assert.Equal(1, counters.Failures);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Persistent_5xx_fails_after_max_retries_plus_one_calls()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Error(500));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters, o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct));

        Assert.Equal(EndpointFailure.Status, error.Failure);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal("reflection", error.Role);
        Assert.Equal(3, counters.Calls);
        Assert.Equal(3, counters.Failures);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_429_is_retried_but_a_400_is_not()
    {
        var calls = 0;
        await using var server = FakeOpenAiServer.Start(_ => Interlocked.Increment(ref calls) == 1 ? ScriptedReply.Error(429) : ScriptedReply.Error(400));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters, o => o.MaxRetries = 3);

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal(2, counters.Calls);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_429s_retry_after_is_waited_before_the_next_attempt()
    {
        var calls = 0;
        await using var server = FakeOpenAiServer.Start(_ => Interlocked.Increment(ref calls) == 1 ? ScriptedReply.TooManyRequests(TimeSpan.FromSeconds(1)) : ScriptedReply.Error(400));
        using var backend = LlmTestData.Backend(server, new ModelCallCounters(), o =>
        {
            o.MaxRetries = 1;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(1); // without Retry-After the retry would come at once
            o.MaxRetryDelay = TimeSpan.FromSeconds(5);
        });
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAsync<ModelEndpointException>(() => backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct));

        Assert.Equal(2, server.Requests.Count);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"the retry came {clock.Elapsed.TotalMilliseconds:F0} ms after a 429 asking for 1 s");
    }

    [Fact]
    public async Task An_answer_over_the_size_limit_is_malformed_and_not_retried()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Chat(new string('x', 64 * 1024)));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters, o => { o.MaxRetries = 3; o.MaxResponseBytes = 16 * 1024; });

        var error = await Assert.ThrowsAsync<MalformedAnswerException>(() => backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct));

        Assert.Contains("MaxResponseBytes", error.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests);
        Assert.Equal(1, counters.MalformedAnswers);
    }

    [Fact]
    public async Task A_server_that_never_answers_fails_after_the_timeout()
    {
        FakeOpenAiServer? hanging = null;
        await using var server = hanging = FakeOpenAiServer.Start(async _ =>
        {
            await hanging!.Stopping; // answered only when the test disposes the server
            return ScriptedReply.Chat(Accept);
        });
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters, o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 1;
        });
        // Only a backstop: without a working timeout the call ends cancelled (and the test fails) instead of hanging.
        using var backstop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        backstop.CancelAfter(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, backstop.Token));

        Assert.Equal(EndpointFailure.Timeout, error.Failure);
        Assert.Equal(2, counters.Calls);
        Assert.Equal(2, counters.Failures);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task The_circuit_opens_after_repeated_failures_and_then_fails_fast_without_calling()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Error(500));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters, o =>
        {
            o.MaxRetries = 0;
            o.CircuitMinimumThroughput = 2;
            o.CircuitFailureRatio = 0.5;
            o.CircuitBreakDuration = TimeSpan.FromMinutes(1);
        });

        for (var i = 0; i < 2; i++)
        {
            var failure = await Assert.ThrowsAsync<ModelEndpointException>(() => backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct));
            Assert.Equal(EndpointFailure.Status, failure.Failure);
        }
        Assert.Equal(2, server.Requests.Count);

        var open = await Assert.ThrowsAsync<ModelEndpointException>(() => backend.Validator.ScoreAsync(LlmTestData.Request(), Draft, [new CandidateItem("m1", "Alien", [])], Ct));

        Assert.Equal(EndpointFailure.CircuitOpen, open.Failure);
        Assert.Equal("validator", open.Role);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(2, counters.Calls);
        Assert.Equal(3, counters.Failures);
    }

    [Fact]
    public async Task A_refused_connection_is_a_connection_failure()
    {
        var counters = new ModelCallCounters();
        using var backend = LlmBackend.Create(LlmTestData.Options($"http://127.0.0.1:{FakeOpenAiServer.FreePort()}/v1", o => o.MaxRetries = 1), null, counters);

        var error = await Assert.ThrowsAsync<ModelEndpointException>(() => backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct));

        Assert.Equal(EndpointFailure.Connection, error.Failure);
        Assert.Equal(2, counters.Calls);
    }

    [Fact]
    public async Task A_2xx_that_is_not_a_chat_completion_is_malformed_and_not_retried()
    {
        await using var server = FakeOpenAiServer.Start(_ => new ScriptedReply(200, "<html>gateway page</html>"));
        var counters = new ModelCallCounters();
        using var backend = LlmTestData.Backend(server, counters);

        await Assert.ThrowsAsync<MalformedAnswerException>(() => backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct));

        Assert.Equal(1, counters.Calls);
        Assert.Equal(1, counters.MalformedAnswers);
        Assert.Equal(0, counters.Failures);
    }

    [Fact]
    public async Task The_api_key_is_sent_as_a_bearer_token()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Chat(Accept));
        using var backend = LlmTestData.Backend(server, new ModelCallCounters(), o => o.ApiKey = "sk-test-123");

        await backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct);

        Assert.Equal("Bearer sk-test-123", Assert.Single(server.Requests).Authorization);
    }

    [Fact]
    public async Task The_api_key_can_come_from_a_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, "  sk-from-file-456\n", Ct);
            await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Chat(Accept));
            using var backend = LlmTestData.Backend(server, new ModelCallCounters(), o => o.ApiKeyFile = file);

            await backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct);

            Assert.Equal("Bearer sk-from-file-456", Assert.Single(server.Requests).Authorization);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_bad_api_key_file_is_named_without_its_content()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "sk-secret with-space");
            var problems = LlmOptions.Validate(new LlmOptions { Endpoint = "http://localhost:8000/v1", Model = "m", ApiKeyFile = file });
            var both = LlmOptions.Validate(new LlmOptions { Endpoint = "http://localhost:8000/v1", Model = "m", ApiKeyFile = file, ApiKey = "sk-x" });
            var missing = LlmOptions.Validate(new LlmOptions { Endpoint = "http://localhost:8000/v1", Model = "m", ApiKeyFile = file + ".absent" });

            Assert.StartsWith("TrackRec:Models:Llm:ApiKeyFile", Assert.Single(problems), StringComparison.Ordinal);
            Assert.DoesNotContain("sk-secret", problems[0], StringComparison.Ordinal);
            Assert.Contains("both set", Assert.Single(both), StringComparison.Ordinal);
            Assert.Contains("does not exist", Assert.Single(missing), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_caller_supplied_http_client_is_used_and_left_open()
    {
        await using var server = FakeOpenAiServer.Start(_ => ScriptedReply.Chat(Accept));
        using var http = new HttpClient();
        using (var backend = LlmBackend.Create(LlmTestData.Options(server.Endpoint), http, new ModelCallCounters()))
            await backend.Reflector.ReflectAsync(LlmTestData.Request(), Draft, Ct);

        using var stillOpen = await http.GetAsync(new Uri(server.Endpoint + "/models"), Ct);
        Assert.Equal(2, server.Requests.Count);
    }
}
