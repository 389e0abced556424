using System.Diagnostics.Metrics;
using TrackRec.Streaming.Cli.Bench;

namespace TrackRec.Streaming.Tests.Bench;

/// <summary>The queue figures come from the worker's instruments when it has them, and are null when it does not.</summary>
public sealed class GenerationQueueMeterTests
{
    [Fact]
    public void Observable_queue_instruments_are_sampled_and_summarised()
    {
        var name = $"bench-test-{Guid.NewGuid():N}";
        using var listening = new GenerationQueueMeter(name);
        using var meter = new Meter(name);
        var depth = 3;
        meter.CreateObservableGauge(GenerationQueueMeter.Depth, () => depth);
        meter.CreateObservableGauge(GenerationQueueMeter.Age, () => 250.0);

        listening.Sample();
        depth = 9;
        listening.Sample();

        Assert.Equal((6.0, 9.0), listening.Of(GenerationQueueMeter.Depth));
        Assert.Equal(9.0, listening.Last(GenerationQueueMeter.Depth));
        Assert.Equal((250.0, 250.0), listening.Of(GenerationQueueMeter.Age));
    }

    [Fact]
    public void A_worker_without_the_instruments_leaves_the_figures_null()
    {
        var name = $"bench-test-{Guid.NewGuid():N}";
        using var listening = new GenerationQueueMeter(name);
        using var meter = new Meter(name);
        meter.CreateObservableGauge("trackrec.something.else", () => 1);

        listening.Sample();

        Assert.Null(listening.Of(GenerationQueueMeter.Depth));
        Assert.Null(listening.Last(GenerationQueueMeter.Age));
    }
}
