using TrackRec.Streaming.Cli.Bench;

namespace TrackRec.Streaming.Tests.Bench;

public sealed class InFlightGaugeTests
{
    [Fact]
    public void Mean_is_weighted_by_time_and_max_is_the_peak()
    {
        var clock = new ManualClock();
        var gauge = new InFlightGauge(clock);

        gauge.Enter();
        gauge.Enter();
        clock.AdvanceMs(10); // 2 in flight for 10 ms
        gauge.Exit();
        clock.AdvanceMs(30); // 1 in flight for 30 ms
        gauge.Exit();
        clock.AdvanceMs(60); // none for 60 ms

        Assert.Equal(2, gauge.Max);
        Assert.Equal(0.5, gauge.Mean(), precision: 9); // (2*10 + 1*30) / 100
    }
}
