using TrackRec.Streaming.Cli.Bench;

namespace TrackRec.Streaming.Tests.Bench;

/// <summary>The pacer's schedule: record i is due at start + i / rate, and "due by" counts exactly the records scheduled so far.</summary>
public sealed class OpenLoopScheduleTests
{
    [Fact]
    public void Records_are_due_at_start_plus_index_over_rate()
    {
        var schedule = new OpenLoopSchedule(rate: 1000, count: 10, startTimestamp: 5_000, timestampFrequency: 1_000_000);

        Assert.Equal(5_000, schedule.ScheduledTimestamp(0));
        Assert.Equal(6_000, schedule.ScheduledTimestamp(1));
        Assert.Equal(14_000, schedule.ScheduledTimestamp(9));
        Assert.Equal(14_000, schedule.EndTimestamp);
    }

    [Theory]
    [InlineData(4_999, 0)]
    [InlineData(5_000, 1)]
    [InlineData(5_999, 1)]
    [InlineData(6_000, 2)]
    [InlineData(13_999, 9)]
    [InlineData(14_000, 10)]
    [InlineData(1_000_000, 10)] // never more than the schedule holds
    public void Due_by_counts_records_scheduled_at_or_before_the_time(long now, long expected)
    {
        var schedule = new OpenLoopSchedule(rate: 1000, count: 10, startTimestamp: 5_000, timestampFrequency: 1_000_000);

        Assert.Equal(expected, schedule.DueBy(now));
    }

    [Fact]
    public void A_rate_that_does_not_divide_the_clock_keeps_due_by_and_the_schedule_in_agreement()
    {
        var schedule = new OpenLoopSchedule(rate: 3, count: 1000, startTimestamp: 0, timestampFrequency: 1_000_000_000);

        for (long i = 1; i < 1000; i++)
        {
            var at = schedule.ScheduledTimestamp(i);
            Assert.Equal(i + 1, schedule.DueBy(at));
            Assert.Equal(i, schedule.DueBy(at - 1));
        }
    }

    [Fact]
    public void Impression_ids_carry_segment_and_index_back_to_the_schedule()
    {
        var id = OpenLoopPacer.ImpressionId(3, 12_345);

        Assert.True(OpenLoopPacer.TryParse(id, out var segment, out var index));
        Assert.Equal((3, 12_345L), (segment, index));
        Assert.False(OpenLoopPacer.TryParse("imp-7", out _, out _));
    }
}
