namespace TrackRec.Streaming.Cli.Bench;

/// <summary>Requests in flight over time: the time-weighted mean and the maximum since it was created. Thread-safe.</summary>
internal sealed class InFlightGauge(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly long _start = time.GetTimestamp();
    private long _last = time.GetTimestamp();
    private double _area;
    private int _current;

    public int Max { get; private set; }

    /// <summary>In flight right now.</summary>
    public int Current
    {
        get { lock (_gate) return _current; }
    }

    public void Enter() => Move(+1);

    public void Exit() => Move(-1);

    /// <summary>The time-weighted mean number in flight from creation to now.</summary>
    public double Mean()
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            var total = now - _start;
            return total <= 0 ? 0 : (_area + ((double)_current * (now - _last))) / total;
        }
    }

    private void Move(int delta)
    {
        lock (_gate)
        {
            var now = time.GetTimestamp();
            _area += (double)_current * (now - _last);
            _last = now;
            _current += delta;
            Max = Math.Max(Max, _current);
        }
    }
}
