namespace TrackRec.Streaming.Kafka.Diagnostics;

/// <summary>
/// When the consume loop last turned, for the liveness check. Start-up counts as a beat, so the catalog
/// bootstrap before the loop gets the same allowance as one stuck iteration.
/// </summary>
public sealed class ConsumerHeartbeat(TimeProvider time)
{
    private long _last = time.GetTimestamp();
    private volatile bool _started;

    /// <summary>Consume thread: one more iteration.</summary>
    public void Beat()
    {
        Interlocked.Exchange(ref _last, time.GetTimestamp());
        _started = true;
    }

    /// <summary>True once the loop has turned at least once.</summary>
    public bool Started => _started;

    /// <summary>Time since the loop last turned (or since start-up).</summary>
    public TimeSpan SinceLastBeat => time.GetElapsedTime(Interlocked.Read(ref _last));
}
