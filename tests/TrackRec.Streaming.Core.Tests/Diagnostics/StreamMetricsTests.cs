using System.Diagnostics.Metrics;
using TrackRec.Streaming.Diagnostics;
using Xunit;

namespace TrackRec.Streaming.Tests.Diagnostics;

public sealed class StreamMetricsTests
{
    [Fact]
    public void Replay_progress_and_training_batches_are_observed_with_their_tags()
    {
        using var factory = new TestMeterFactory();
        var metrics = new StreamMetrics(factory);
        var read = 0L;
        var seen = new Dictionary<string, (long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter))
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().Where(t => t.Key == "kind").Select(t => "/" + t.Value));
            var previous = seen.TryGetValue(key, out var p) && !instrument.Name.StartsWith("trackrec.replay", StringComparison.Ordinal) ? p.Value : 0;
            seen[key] = (previous + value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")));
        });
        listener.Start();

        metrics.TrackReplay("job-7", () => read, planned: 500);
        read = 120;
        metrics.BatchWritten(preferences: 3, validatorRecords: 40);
        metrics.BatchWritten(preferences: 1, validatorRecords: 10);
        listener.RecordObservableInstruments();

        Assert.Equal((120L, "job=job-7"), seen["trackrec.replay.records.read"]);
        Assert.Equal(500L, seen["trackrec.replay.records.planned"].Value);
        Assert.Equal(2L, seen["trackrec.training.batches"].Value);
        Assert.Equal(4L, seen["trackrec.training.records/preference"].Value);
        Assert.Equal(50L, seen["trackrec.training.records/validator"].Value);
    }
}
