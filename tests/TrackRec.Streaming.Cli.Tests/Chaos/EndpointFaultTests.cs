using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Tests.Demo;

namespace TrackRec.Streaming.Tests.Chaos;

/// <summary>
/// The LLM backend against an endpoint that misbehaves in each way a real one can: every feature is still emitted
/// (degraded where it must be), and the endpoint is asked no harder than a healthy one is (per-user backoff, the
/// circuit breaker, bounded retries): LLM requests per impression at most the healthy run's. The runs are in
/// deterministic lanes so that the figures compare; live mode's fast lane is tested on its own (LiveLaneTests).
/// </summary>
public sealed class EndpointFaultTests(TrainedModelsFixture models) : IDisposable, IClassFixture<TrainedModelsFixture>
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMilliseconds(300);
    private static double? s_healthyCallsPerImpression;
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-endpoint-faults-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DemoOptions Options(string name, string endpoint) => new()
    {
        OutDirectory = Path.Combine(_dir, name),
        ModelDirectory = models.Directory,
        Input = new InputSelection(null, null, Seed: 9, Users: 16, ImpressionsPerUser: 8),
        Generator = "llm",
        LlmEndpoint = endpoint,
        LlmModel = "test-model",
        MalformedShare = 0,
        Partitions = 2,
        Settings = new Dictionary<string, string?>
        {
            ["TrackRec:Models:Llm:RequestTimeout"] = RequestTimeout.ToString(),
            ["TrackRec:Models:Llm:MaxRetries"] = "1",
            ["TrackRec:Models:Llm:RetryBaseDelay"] = "00:00:00.010",
            ["TrackRec:Models:Llm:MaxRetryDelay"] = "00:00:01",
            ["TrackRec:Models:Llm:CircuitMinimumThroughput"] = "6",
            ["TrackRec:Models:Llm:CircuitBreakDuration"] = "00:00:00.500",
            ["TrackRec:Models:Llm:MaxResponseBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TrackRec:Pipeline:Chains:MaxNewEvents"] = "4",
            ["TrackRec:Pipeline:Lanes:RetryBackoff"] = "00:00:00.100",
            // Deterministic lanes: a run's requests then follow from the stream and the faults, not from which
            // impressions happened to find a generation running, so a faulty run compares with the healthy one.
            ["TrackRec:Pipeline:Lanes:Mode"] = "Deterministic",
        },
    };

    private async Task<DemoSummary> RunAsync(string name, Func<RecordedRequest, Task<ScriptedReply>> handler)
    {
        await using var server = FakeOpenAiServer.Start(handler);
        var output = new StringWriter();
        var (exit, summary) = await DemoRunner.RunAsync(Options(name, server.Endpoint), output, Ct);
        Assert.True(exit == 0, $"{name}: demo exited {exit}: {output}");
        return summary!;
    }

    private async Task<double> HealthyCallsPerImpressionAsync()
    {
        if (s_healthyCallsPerImpression is { } known)
            return known;
        var healthy = await RunAsync("healthy", r => Task.FromResult(ScriptedPreferenceModel.Answer(r)));
        Assert.True(healthy.ChainsGenerated > 0, "the healthy run wrote no chain");
        return (s_healthyCallsPerImpression = healthy.LlmCalls / (double)healthy.Impressions).Value;
    }

    private static readonly Dictionary<string, Func<RecordedRequest, Task<ScriptedReply>>> Faults = new()
    {
        ["500"] = _ => Task.FromResult(ScriptedReply.Error(500)),
        ["429 with Retry-After"] = _ => Task.FromResult(ScriptedReply.TooManyRequests(TimeSpan.FromSeconds(1))),
        ["connection reset"] = _ => Task.FromResult(ScriptedReply.Reset()),
        ["slower than the timeout"] = async r => { await Task.Delay(RequestTimeout * 3, Ct); return ScriptedPreferenceModel.Answer(r); },
        ["garbage"] = _ => Task.FromResult(new ScriptedReply(200, "<html>upstream gateway says hello</html>")),
        ["truncated JSON"] = r => { var whole = ScriptedPreferenceModel.Answer(r).Body; return Task.FromResult(new ScriptedReply(200, whole[..(whole.Length / 2)])); },
        ["10 MB answer"] = _ => Task.FromResult(ScriptedReply.Chat(new string('x', 10 * 1024 * 1024))),
        ["missing logprobs"] = r => Task.FromResult(r.Body["max_tokens"]?.GetValue<int>() == 1 || r.N > 1 ? ScriptedReply.Chat(Enumerable.Repeat("Yes", Math.Max(1, r.N)).ToArray()) : ScriptedPreferenceModel.Answer(r)),
        ["wrong n"] = r => Task.FromResult(r.N > 1 ? ScriptedReply.Chat("The user prefers what they clicked recently.") : ScriptedPreferenceModel.Answer(r)),
    };

    public static TheoryData<string> FaultNames => [.. Faults.Keys];

    [Theory]
    [MemberData(nameof(FaultNames))]
    public async Task Every_feature_is_emitted_and_the_endpoint_is_asked_no_harder_than_when_healthy(string fault)
    {
        var healthy = await HealthyCallsPerImpressionAsync();

        var summary = await RunAsync(fault.Replace(' ', '-'), Faults[fault]);

        Assert.Equal(summary.Impressions, summary.FeaturesEmitted);
        Assert.Equal(summary.Impressions, summary.OutcomesEmitted);
        // One choice where four were asked for is not an error: the generation goes on with what came.
        if (fault != "wrong n")
            Assert.True(summary.LlmFailures + summary.MalformedAnswers > 0, "the fault was never met");
        var perImpression = summary.LlmCalls / (double)summary.Impressions;
        TestContext.Current.TestOutputHelper?.WriteLine($"{fault}: {summary.FeaturesEmitted}/{summary.Impressions} features, {perImpression:F2} LLM requests per impression (healthy {healthy:F2}), {summary.DegradedFeatures} degraded, {summary.LlmFailures} failures, {summary.MalformedAnswers} malformed");
        // A server that ignores n (as llama.cpp's and Ollama's do) is asked for the n samples one by one, by design,
        // so its generations cost n requests instead of one: bounded, at most twice the healthy figure here.
        var bound = fault == "wrong n" ? 2 * healthy : healthy;
        Assert.True(perImpression <= bound, $"{fault}: {perImpression:F2} LLM requests per impression against {healthy:F2} when healthy");
    }

    [Fact]
    public async Task A_server_that_never_answers_costs_timeouts_not_features()
    {
        FakeOpenAiServer? server = null;
        await using (server = FakeOpenAiServer.Start(async _ => { await server!.Stopping; return ScriptedReply.Error(503); }))
        {
            var (exit, summary) = await DemoRunner.RunAsync(Options("never", server.Endpoint), TextWriter.Null, Ct);
            Assert.Equal(0, exit);
            Assert.Equal(summary!.Impressions, summary.FeaturesEmitted);
            Assert.Equal(0, summary.ChainsGenerated);
            Assert.True(summary.LlmCalls / (double)summary.Impressions <= await HealthyCallsPerImpressionAsync());
        }
    }

    [Fact]
    public async Task A_failing_burst_opens_the_circuit_and_costs_no_feature()
    {
        const int failing = 12;
        var seen = 0;
        await using var server = FakeOpenAiServer.Start(r => Interlocked.Increment(ref seen) <= failing ? ScriptedReply.Error(503) : ScriptedPreferenceModel.Answer(r));
        var (exit, summary) = await DemoRunner.RunAsync(Options("burst", server.Endpoint), TextWriter.Null, Ct);

        Assert.Equal(0, exit);
        Assert.Equal(summary!.Impressions, summary.FeaturesEmitted);
        Assert.True(summary.LlmFailures >= 6, $"{summary.LlmFailures} failures: the circuit had nothing to open on");
        Assert.True(summary.LlmCalls / (double)summary.Impressions <= await HealthyCallsPerImpressionAsync());
    }
}
