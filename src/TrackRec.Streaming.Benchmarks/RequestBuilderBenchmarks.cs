using BenchmarkDotNet.Attributes;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Benchmarks;

/// <summary>Building the generator's request from a full history (every impression whose chain is stale pays it).</summary>
[MemoryDiagnoser]
public class RequestBuilderBenchmarks
{
    private ChainRequestBuilder _builder = null!;
    private UserHistory _history = null!;

    [Params(50)]
    public int HistoryLength { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _builder = new ChainRequestBuilder(SampleData.Catalog(9000), heldOutOutcomes: 8);
        _history = SampleData.History(HistoryLength);
    }

    [Benchmark]
    public ChainRequest Build() => _builder.Build(_history, DateTimeOffset.UnixEpoch.AddDays(1));
}
