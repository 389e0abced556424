using TrackRec.Streaming.Kafka.Diagnostics;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// The downstream end of one open-loop segment: each arriving feature is charged the time from its impression's
/// scheduled send (not its actual send) to now, grouped by the feature's source. A feature seen twice (at-least-once
/// redelivery) counts once. Thread-safe.
/// </summary>
internal sealed class PacedLatencyCollector
{
    private readonly OpenLoopSchedule _schedule;
    private readonly TimeProvider _time;
    private readonly TimeSpan? _stalenessLimit;
    private readonly Lock _gate = new();
    private readonly bool[] _seen;
    private readonly LatencyRecorder _all = new();
    private readonly SortedDictionary<string, LatencyRecorder> _bySource = new(StringComparer.Ordinal);
    private long _arrived, _duplicates, _withAge, _young;
    private long _lastArrival;

    public PacedLatencyCollector(OpenLoopSchedule schedule, TimeProvider time, TimeSpan? stalenessLimit)
    {
        _schedule = schedule;
        _time = time;
        _stalenessLimit = stalenessLimit;
        _seen = new bool[schedule.Count];
    }

    public long Arrived
    {
        get { lock (_gate) return _arrived; }
    }

    public bool Complete => Arrived >= _schedule.Count;

    /// <summary>
    /// Records the arrival of the feature of record <paramref name="index"/>; false for a duplicate or an index
    /// outside the schedule. <paramref name="carriesAge"/>: the record's schema has chain_age_ms (null there: no chain).
    /// </summary>
    public bool Record(long index, string source, bool carriesAge, long? chainAgeMs)
    {
        var now = _time.GetTimestamp();
        if (index < 0 || index >= _schedule.Count)
            return false;
        var latencyMs = _time.GetElapsedTime(_schedule.ScheduledTimestamp(index), now).TotalMilliseconds;
        lock (_gate)
        {
            if (_seen[index])
            {
                _duplicates++;
                return false;
            }
            _seen[index] = true;
            _arrived++;
            _lastArrival = now;
            _all.Record(latencyMs);
            if (!_bySource.TryGetValue(source, out var recorder))
                _bySource[source] = recorder = new LatencyRecorder();
            recorder.Record(latencyMs);
            if (carriesAge && _stalenessLimit is { } limit)
            {
                _withAge++;
                if (chainAgeMs is { } age && age < limit.TotalMilliseconds)
                    _young++;
            }
        }
        return true;
    }

    public PacedFigures Summarise(double drainSeconds)
    {
        lock (_gate)
        {
            var seconds = _schedule.Count == 0 ? 0 : _time.GetElapsedTime(_schedule.StartTimestamp, _schedule.EndTimestamp).TotalSeconds + 1 / _schedule.Rate;
            return new PacedFigures
            {
                Rate = _schedule.Rate,
                Seconds = Math.Round(seconds, 3),
                Scheduled = _schedule.Count,
                Arrived = _arrived,
                Missing = _schedule.Count - _arrived,
                Duplicates = _duplicates,
                DrainSeconds = Math.Round(drainSeconds, 3),
                Achieved = _arrived == 0 ? 0 : Math.Round(_arrived / Math.Max(seconds, _time.GetElapsedTime(_schedule.StartTimestamp, _lastArrival).TotalSeconds), 1),
                Latency = LatencyPercentiles.Of(_all),
                BySource = _bySource.ToDictionary(kv => kv.Key, kv => LatencyPercentiles.Of(kv.Value)),
                ShareYoungerThanLimit = _withAge == 0 ? null : Math.Round((double)_young / _withAge, 4),
                CurveBySource = _bySource.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)LatencyPercentiles.PlotQuantiles.Select(q => Math.Round(kv.Value.Percentile(q), 3)).ToList()),
            };
        }
    }
}
