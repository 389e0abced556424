using BenchmarkDotNet.Attributes;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Benchmarks;

/// <summary>Avro encoding of the feature record (once per impression on the partition path) and its decoding (what a reader pays).</summary>
[MemoryDiagnoser]
public class FeatureSerdeBenchmarks
{
    private StreamSerdes _serdes = null!;
    private EmbeddedSchemaRegistry _registry = null!;
    private ChainFeature _feature = null!;
    private byte[] _bytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The registry is asked once per schema; the client caches ids and schemas, so it is not measured.
        _registry = EmbeddedSchemaRegistry.Start();
        _serdes = new StreamSerdes(_registry.Client, new TopicOptions());
        _feature = SampleData.Feature();
        _bytes = _serdes.Features.SerializeAsync(_feature, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public byte[] Encode() => _serdes.Features.SerializeAsync(_feature, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public ChainFeature Decode() => _serdes.Features.DeserializeAsync(_bytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _registry.Dispose();
}
