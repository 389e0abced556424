using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>
/// Records every measurement of one Meter instance. A MeterListener sees the Meters of every host in the
/// process, and test classes run in parallel, so instruments are enabled only when they belong to the very
/// Meter the test's own host created (IMeterFactory makes one per service provider).
/// </summary>
internal sealed class MeterCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<CapturedMeasurement> _measurements = new();

    public MeterCapture(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Measurements of <paramref name="instrument"/> so far.</summary>
    public List<CapturedMeasurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

    /// <summary>Sum of <paramref name="instrument"/>'s measurements, by the value of tag <paramref name="tag"/>.</summary>
    public Dictionary<string, double> SumBy(string instrument, string tag) =>
        Of(instrument).GroupBy(m => m.Tag(tag) ?? "").ToDictionary(g => g.Key, g => g.Sum(m => m.Value));

    /// <summary>Polls the observable instruments (gauges) once.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags)
            copy[key] = tagValue;
        _measurements.Enqueue(new CapturedMeasurement(instrument.Name, value, copy));
    }
}
