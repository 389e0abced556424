using BenchmarkDotNet.Attributes;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Benchmarks;

/// <summary>Decoding one behaviour record (every input record pays it before the pipeline sees it).</summary>
[MemoryDiagnoser]
public class ImpressionDecodeBenchmarks
{
    private StreamSerdes _serdes = null!;
    private EmbeddedSchemaRegistry _registry = null!;
    private byte[] _bytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The registry is asked once per schema; the client caches ids and schemas, so it is not measured.
        _registry = EmbeddedSchemaRegistry.Start();
        _serdes = new StreamSerdes(_registry.Client, new TopicOptions());
        _bytes = _serdes.EncodeBehaviourAsync(SampleData.Impression(7), CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public BehaviourEvent Decode() => _serdes.DecodeBehaviourAsync(0, _bytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _registry.Dispose();
}
