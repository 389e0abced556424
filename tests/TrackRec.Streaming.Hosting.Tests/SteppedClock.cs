namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>A clock whose timestamps move only when the test says so (no timers: what the health checks need).</summary>
internal sealed class SteppedClock : TimeProvider
{
    private long _ticks;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
