using BenchmarkDotNet.Attributes;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Benchmarks;

/// <summary>Avro encoding of the feature record (once per impression on the partition path) and its decoding (what a reader pays).</summary>
[MemoryDiagnoser]
public class FeatureSerdeBenchmarks
{
    private StreamSerdes _serdes = null!;
    private ChainFeature _feature = null!;
    private byte[] _bytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        _serdes = new StreamSerdes(new EmbeddedSchemaRegistry(), new TopicOptions());
        _feature = SampleData.Feature();
        _bytes = _serdes.Features.SerializeAsync(_feature, CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public byte[] Encode() => _serdes.Features.SerializeAsync(_feature, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public ChainFeature Decode() => _serdes.Features.DeserializeAsync(_bytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();
}
