using System.Diagnostics.Metrics;

namespace TrackRec.Streaming.Tests.Diagnostics;

/// <summary>The smallest IMeterFactory: a new Meter per call, disposed with the factory (what the host's does, without DI).</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, this);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
            meter.Dispose();
    }
}
