using Microsoft.Extensions.Time.Testing;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Diagnostics;
using TrackRec.Streaming.Tests.Chains;
using TrackRec.Streaming.UserState;
using Xunit;

namespace TrackRec.Streaming.Tests.Diagnostics;

public sealed class GenerationOrchestratorMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_role_call_is_timed_under_its_role_failed_calls_included()
    {
        using var factory = new TestMeterFactory();
        var metrics = new StreamMetrics(factory);
        var clock = new FakeTimeProvider();
        var roles = new ChainRoles(
            new RecordingGenerator(),
            new ScriptedValidator(),
            new ScriptedReflector { Verdict = ScriptedReflector.Reject },
            new FakeExplorer(),
            new FakeEncoder { Fail = true });
        var writer = new GenerationOrchestrator(new GenerationOptions { Samples = 2, ReflectionRounds = 1, ExplorationCandidates = 2 }, roles, metrics, clock);
        var roleCalls = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "trackrec.model.latency")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "role")
                    roleCalls.Enqueue((string)tag.Value!);
            }
        });
        listener.Start();

        var heldOut = new HeldOutOutcome[] { new("h1", new CandidateItem("jazz1", "Jazz One", ["jazz"]), true, T0.AddMinutes(-5)) };
        var request = new ChainRequest("u1", [new HistoryItemView("jazz0", "Jazz Zero", ["jazz"], Signal.Click, T0.AddMinutes(-10), null)], heldOut, 3, T0);
        var generation = await writer.WriteAsync(request, TestContext.Current.CancellationToken);

        // Sample once and refine both rejected drafts (generator), judge both (reflector), score both (validator),
        // explore once, and the failed encoder call still counts.
        Assert.Contains("encoder", generation.Chain.DegradedRoles);
        var counts = roleCalls.GroupBy(r => r).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["generator"] = 3, ["reflector"] = 2, ["validator"] = 2, ["explorer"] = 1, ["encoder"] = 1 }, counts);
    }
}
