namespace TrackRec.Streaming.Kafka.Diagnostics;

/// <summary>
/// Keeps latency samples for percentiles. A bounded reservoir (uniform sampling once full) so a
/// long-running worker does not grow without bound while a demo-sized run keeps every sample.
/// </summary>
public sealed class LatencyRecorder(int capacity = 1_000_000)
{
    private readonly Lock _gate = new();
    private readonly List<double> _samples = [];
    private readonly Random _random = new(17);
    private long _seen;

    /// <summary>Samples recorded overall.</summary>
    public long Count
    {
        get { lock (_gate) return _seen; }
    }

    /// <summary>Records one latency in milliseconds.</summary>
    public void Record(double milliseconds)
    {
        lock (_gate)
        {
            _seen++;
            if (_samples.Count < capacity)
                _samples.Add(milliseconds);
            else if (_random.NextInt64(_seen) is var slot && slot < capacity)
                _samples[(int)slot] = milliseconds;
        }
    }

    /// <summary>The q-quantile (0..1) of the samples, or 0 when there are none.</summary>
    public double Percentile(double q)
    {
        double[] sorted;
        lock (_gate)
            sorted = [.. _samples];
        if (sorted.Length == 0)
            return 0;
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(q * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
