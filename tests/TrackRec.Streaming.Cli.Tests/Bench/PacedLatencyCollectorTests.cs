using TrackRec.Streaming.Cli.Bench;

namespace TrackRec.Streaming.Tests.Bench;

/// <summary>
/// Latency is charged from each record's scheduled send, so a stall is charged to every record it held back
/// (no coordinated omission); percentiles are nearest-rank, per source and overall. A fake clock, no waiting.
/// </summary>
public sealed class PacedLatencyCollectorTests
{
    [Fact]
    public void Latency_runs_from_the_scheduled_time_not_the_arrival_order()
    {
        var clock = new ManualClock();
        var schedule = new OpenLoopSchedule(rate: 1000, count: 3, startTimestamp: clock.Now, timestampFrequency: clock.TimestampFrequency);
        var collector = new PacedLatencyCollector(schedule, clock, stalenessLimit: null);

        // The system stalls for 100 ms; all three records (due at 0, 1 and 2 ms) arrive together.
        clock.AdvanceMs(100);
        collector.Record(0, "CACHED", carriesAge: false, null);
        collector.Record(1, "CACHED", carriesAge: false, null);
        collector.Record(2, "FRESH", carriesAge: false, null);

        var figures = collector.Summarise(drainSeconds: 0);
        Assert.Equal(3, figures.Arrived);
        Assert.Equal(0, figures.Missing);
        Assert.Equal(99, figures.Latency.P50); // record 1: due at 1 ms, arrived at 100 ms
        Assert.Equal(100, figures.Latency.Max);
        Assert.Equal(98, figures.BySource["FRESH"].P50);
        Assert.Equal(2, figures.BySource["CACHED"].Count);
        Assert.Null(figures.ShareYoungerThanLimit);
    }

    [Fact]
    public void Percentiles_are_nearest_rank_over_every_sample()
    {
        var clock = new ManualClock();
        var schedule = new OpenLoopSchedule(rate: 1, count: 1000, startTimestamp: clock.Now, timestampFrequency: clock.TimestampFrequency);
        var collector = new PacedLatencyCollector(schedule, clock, stalenessLimit: null);

        // Latencies of 1, 2, ..., 1000 ms, one each.
        for (var i = 0; i < 1000; i++)
        {
            clock.Now = schedule.ScheduledTimestamp(i);
            clock.AdvanceMs(i + 1);
            collector.Record(i, "CACHED", carriesAge: false, null);
        }

        var latency = collector.Summarise(0).Latency;
        Assert.Equal(500, latency.P50);
        Assert.Equal(990, latency.P99);
        Assert.Equal(999, latency.P999);
        Assert.Equal(1000, latency.Max);
        Assert.Equal(1000, latency.Count);
    }

    [Fact]
    public void Duplicates_and_strangers_are_not_counted_and_missing_records_are_reported()
    {
        var clock = new ManualClock();
        var schedule = new OpenLoopSchedule(rate: 100, count: 4, startTimestamp: clock.Now, timestampFrequency: clock.TimestampFrequency);
        var collector = new PacedLatencyCollector(schedule, clock, stalenessLimit: TimeSpan.FromSeconds(10));
        clock.AdvanceMs(50);

        Assert.True(collector.Record(0, "CACHED", carriesAge: true, chainAgeMs: 2_000));
        Assert.False(collector.Record(0, "CACHED", carriesAge: true, chainAgeMs: 2_000));
        Assert.False(collector.Record(7, "CACHED", carriesAge: true, chainAgeMs: 2_000));
        Assert.True(collector.Record(1, "STALE", carriesAge: true, chainAgeMs: 60_000));
        Assert.True(collector.Record(2, "NONE", carriesAge: true, chainAgeMs: null));

        var figures = collector.Summarise(drainSeconds: 1.5);
        Assert.Equal((3L, 1L, 1L), (figures.Arrived, figures.Missing, figures.Duplicates));
        Assert.False(collector.Complete);
        Assert.Equal(new[] { "CACHED", "NONE", "STALE" }, figures.BySource.Keys.Order().ToArray());
        // One of three features had a chain younger than the 10 s limit.
        Assert.Equal(0.3333, figures.ShareYoungerThanLimit);
    }
}
