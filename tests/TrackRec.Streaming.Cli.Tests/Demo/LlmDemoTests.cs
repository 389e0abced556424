using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Demo;

namespace TrackRec.Streaming.Tests.Demo;

/// <summary>
/// `demo --generator llm --llm-endpoint URL`: the same worker with generator, reflection and validator on an
/// OpenAI-compatible server, here one inside the test; and with that server down, every feature is still
/// emitted, marked degraded, and the stream drains.
/// </summary>
public sealed class LlmDemoTests(TrainedModelsFixture models) : IDisposable, IClassFixture<TrainedModelsFixture>
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-llm-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private DemoOptions Options(string name, string endpoint, Dictionary<string, string?>? settings = null) => new()
    {
        OutDirectory = Path.Combine(_dir, name),
        ModelDirectory = models.Directory, // the embedded encoder and explorer serve beside the LLM roles
        Input = new InputSelection(null, null, Seed: 5, Users: 8, ImpressionsPerUser: 6),
        Generator = "llm",
        LlmEndpoint = endpoint,
        LlmModel = "test-model",
        MalformedShare = 0,
        Partitions = 2,
        Settings = settings ?? [],
    };

    [Fact]
    public async Task Llm_backend_writes_reflects_refines_and_validates_through_the_endpoint()
    {
        await using var server = FakeOpenAiServer.Start(ScriptedPreferenceModel.Answer);

        // Rewrite chains often, so that later prompts carry a history.
        var settings = new Dictionary<string, string?> { ["TrackRec:Pipeline:Chains:MaxNewEvents"] = "3" };

        var (exitCode, summary) = await DemoRunner.RunAsync(Options("up", server.Endpoint, settings), TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.NotNull(summary);
        Assert.Empty(server.HandlerErrors);
        Assert.Equal(8 * 6, summary.Impressions);
        Assert.Equal(summary.Impressions, summary.FeaturesEmitted);
        Assert.Equal(summary.Impressions, summary.OutcomesEmitted);
        Assert.Equal(0, summary.DegradedFeatures);
        Assert.Equal((0, 0), (summary.LlmFailures, summary.MalformedAnswers));
        Assert.Equal(server.Requests.Count, summary.LlmCalls);
        Assert.StartsWith("llm:test-model:generator.v1", summary.ModelVersionsUsed.Generator, StringComparison.Ordinal);
        Assert.StartsWith("llm:test-model:", summary.ModelVersionsUsed.Validator, StringComparison.Ordinal);
        Assert.Equal("encoder-v1", summary.ModelVersionsUsed.Encoder);

        // Every generation sampled 4 in one request; the judge rejected the one unsupported claim of each,
        // and refinement rewrote it.
        var byRole = server.Requests.GroupBy(ScriptedPreferenceModel.RoleOf).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(summary.Generations, byRole["generator"].Count);
        Assert.All(byRole["generator"], r => Assert.Equal(4, r.N));
        Assert.Equal(4 * summary.Generations, summary.ChainsGenerated);
        Assert.Equal(summary.Generations, summary.ReflectionRejections);
        Assert.Equal(summary.Generations, summary.ChainsRefined);
        Assert.Equal(summary.ChainsRefined, byRole["refine"].Count);
        // The endpoint's validator selects: each of the 4 drafts is scored on each held-out outcome. The per-impression
        // scorer is the embedded validator (the model directory has one), so serving an impression costs no request.
        var validator = byRole.GetValueOrDefault("validator") ?? [];
        Assert.Equal(0, validator.Count % 4);
        // Item titles reach the prompts fenced as data.
        var withHistory = byRole["generator"].Where(r => !r.User.Contains("oldest first (0 interactions)", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(withHistory);
        Assert.All(withHistory, r => Assert.Contains("<<<user_text>>>", r.User, StringComparison.Ordinal));
        Assert.All(validator, r => Assert.Contains("<<<user_text>>>", r.User, StringComparison.Ordinal));
        Assert.DoesNotContain(byRole["generator"], r => r.User.Contains(ScriptedPreferenceModel.Unsupported, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Endpoint_down_emits_every_feature_marked_degraded_and_drains_the_stream()
    {
        var closedPort = FakeOpenAiServer.FreePort();
        var settings = new Dictionary<string, string?>
        {
            // Short backoff so the test does not wait on retries; the circuit breaker then fails calls fast.
            ["TrackRec:Models:Llm:RetryBaseDelay"] = "00:00:00.010",
            ["TrackRec:Models:Llm:MaxRetryDelay"] = "00:00:00.050",
        };

        var (exitCode, summary) = await DemoRunner.RunAsync(Options("down", $"http://127.0.0.1:{closedPort}/v1", settings), TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.NotNull(summary);
        Assert.Equal(8 * 6, summary.Impressions);
        Assert.Equal(summary.Impressions, summary.FeaturesEmitted);
        Assert.Equal(summary.Impressions, summary.OutcomesEmitted);
        // Features never wait on the endpoint: those served before a generation failed say there is no chain yet
        // (NONE), the rest are marked degraded; none has a chain.
        Assert.Equal(0, summary.ChainsGenerated);
        Assert.True(summary.LlmFailures > 0);
        // No retry storm: each user's generation is tried once (its retries included) and then backs off, instead of
        // one generation per impression as before the lanes were split.
        var users = 8;
        var attemptsPerCall = 1 + 2; // TrackRec:Models:Llm:MaxRetries default
        Assert.InRange(summary.LlmCalls, 1, users * attemptsPerCall);
        Assert.Null(summary.ValidatorAuc);
    }
}
