namespace TrackRec.Streaming.Tests.Bench;

/// <summary>A clock the test moves by hand: timestamps in microseconds.</summary>
internal sealed class ManualClock : TimeProvider
{
    public long Now { get; set; } = 1_000_000;

    public override long TimestampFrequency => 1_000_000;

    public override long GetTimestamp() => Now;

    public void AdvanceMs(double ms) => Now += (long)Math.Round(ms * 1000);
}
