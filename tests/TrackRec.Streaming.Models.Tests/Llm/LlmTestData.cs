using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Llm;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Tests.Llm;

/// <summary>Requests, options and backends the LLM tests share.</summary>
internal static class LlmTestData
{
    public static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static HistoryItemView View(string itemId, string? title, Signal signal, string? text = null, params string[] categories) =>
        new(itemId, title, categories, signal, T0, text);

    public static ChainRequest Request(IReadOnlyList<HistoryItemView>? history = null, IReadOnlyList<HeldOutOutcome>? heldOut = null) => new(
        "user-1",
        history ??
        [
            View("m1", "Alien", Signal.Click, null, "Horror", "Sci-Fi"),
            View("m2", "Notting Hill", Signal.Impression, null, "Romance"),
            View("m3", "The Thing", Signal.Comment, "Best practical effects ever.", "Horror"),
        ],
        heldOut ?? [],
        HistoryVersion: 3,
        AsOf: T0);

    /// <summary>Fast-failing settings against <paramref name="endpoint"/>: short delays, short breaker windows.</summary>
    public static LlmOptions Options(string endpoint, Action<LlmOptions>? tweak = null)
    {
        var options = new LlmOptions
        {
            Endpoint = endpoint,
            Model = "test-model",
            RequestTimeout = TimeSpan.FromSeconds(10),
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            MaxRetryDelay = TimeSpan.FromMilliseconds(20),
            CircuitMinimumThroughput = 100, // the breaker stays out of the way unless a test is about it
        };
        tweak?.Invoke(options);
        return options;
    }

    public static LlmBackend Backend(FakeOpenAiServer server, ModelCallCounters counters, Action<LlmOptions>? tweak = null) =>
        LlmBackend.Create(Options(server.Endpoint, tweak), null, counters);
}
