using BenchmarkDotNet.Attributes;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Benchmarks;

/// <summary>The per-event state update: find the user (LRU touch) and absorb the event into a full history.</summary>
[MemoryDiagnoser]
public class UserStateBenchmarks
{
    private UserStateStore _store = null!;
    private Impression[] _events = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = new UserStateStore(new UserStateOptions());
        _events = Enumerable.Range(0, 60_000).Select(SampleData.Impression).ToArray();
        foreach (var e in _events)
            _store.GetOrCreate(e.UserId).Absorb(e);
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public long Update()
    {
        long version = 0;
        for (var i = 0; i < 1000; i++)
        {
            var e = _events[i];
            var history = _store.GetOrCreate(e.UserId);
            history.Absorb(e);
            version += history.Version;
        }
        return version;
    }
}
