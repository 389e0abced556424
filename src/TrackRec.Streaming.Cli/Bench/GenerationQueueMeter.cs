using System.Diagnostics.Metrics;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// Listens to the worker's Meter (<c>TrackRec.Streaming</c>) for the generation queue's depth and age
/// (<c>trackrec.generation.queue.depth</c>, <c>trackrec.generation.queue.age</c>). A worker without those
/// instruments leaves the figures null, so the bench reads them once the worker has them, unchanged.
/// Observable instruments are sampled on <see cref="Sample"/>; others are heard as they record.
/// </summary>
internal sealed class GenerationQueueMeter : IDisposable
{
    public const string MeterName = Diagnostics.StreamMetrics.MeterName;
    public const string Depth = "trackrec.generation.queue.depth";
    public const string Age = "trackrec.generation.queue.age";

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (double Sum, long Count, double Max, double Last)> _seen = new(StringComparer.Ordinal);

    /// <param name="meterName">The worker's meter (tests pass their own, so parallel hosts do not reach them).</param>
    public GenerationQueueMeter(string meterName = MeterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName && instrument.Name is Depth or Age)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, _, _) => Observe(i.Name, v));
        _listener.SetMeasurementEventCallback<int>((i, v, _, _) => Observe(i.Name, v));
        _listener.SetMeasurementEventCallback<double>((i, v, _, _) => Observe(i.Name, v));
        _listener.Start();
    }

    /// <summary>Asks observable instruments for a measurement now.</summary>
    public void Sample() => _listener.RecordObservableInstruments();

    /// <summary>Mean and max of what an instrument reported, or null when it never did (the worker lacks it).</summary>
    public (double Mean, double Max)? Of(string instrument)
    {
        lock (_gate)
            return _seen.TryGetValue(instrument, out var s) && s.Count > 0 ? (s.Sum / s.Count, s.Max) : null;
    }

    /// <summary>The instrument's latest measurement, or null when it never reported.</summary>
    public double? Last(string instrument)
    {
        lock (_gate)
            return _seen.TryGetValue(instrument, out var s) && s.Count > 0 ? s.Last : null;
    }

    private void Observe(string instrument, double value)
    {
        lock (_gate)
        {
            var s = _seen.GetValueOrDefault(instrument);
            _seen[instrument] = (s.Sum + value, s.Count + 1, s.Count == 0 ? value : Math.Max(s.Max, value), value);
        }
    }

    public void Dispose() => _listener.Dispose();
}
