namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// When each record of an open-loop load is due: record <c>i</c> at <c>start + i / rate</c>, whatever happened
/// to the ones before it. Latency is measured from this scheduled time, not from when the record was actually
/// sent, so a stalled system is charged for every record it held back (no coordinated omission).
/// Times are <see cref="TimeProvider"/> timestamps.
/// </summary>
internal sealed class OpenLoopSchedule
{
    public OpenLoopSchedule(double rate, long count, long startTimestamp, long timestampFrequency)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rate);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        Rate = rate;
        Count = count;
        StartTimestamp = startTimestamp;
        TimestampFrequency = timestampFrequency;
    }

    public double Rate { get; }
    public long Count { get; }
    public long StartTimestamp { get; }
    public long TimestampFrequency { get; }

    /// <summary>The timestamp record <paramref name="index"/> is due at.</summary>
    public long ScheduledTimestamp(long index) => StartTimestamp + (long)Math.Round(index * (double)TimestampFrequency / Rate);

    /// <summary>How many records are due at <paramref name="timestamp"/> (those scheduled at or before it), at most <see cref="Count"/>.</summary>
    public long DueBy(long timestamp)
    {
        if (timestamp < StartTimestamp)
            return 0;
        var due = (long)Math.Floor((timestamp - StartTimestamp) * Rate / TimestampFrequency) + 1;
        // Floating-point rounding may disagree with ScheduledTimestamp at the edge; the schedule is the truth.
        while (due > 0 && ScheduledTimestamp(due - 1) > timestamp)
            due--;
        while (due < Count && ScheduledTimestamp(due) <= timestamp)
            due++;
        return Math.Min(due, Count);
    }

    /// <summary>The timestamp the last record is due at.</summary>
    public long EndTimestamp => ScheduledTimestamp(Math.Max(0, Count - 1));
}
