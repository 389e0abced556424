using Avro.Generic;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Benchmarks;

/// <summary>
/// Avro encoding of the feature record (once per impression on the partition path) and its decoding (what a reader
/// pays). The baseline is the encoding the serde used before it had its own writer: Confluent's serializer over the
/// mapper's generic record, which writes the same bytes.
/// </summary>
[MemoryDiagnoser]
public class FeatureSerdeBenchmarks
{
    private StreamSerdes _serdes = null!;
    private EmbeddedSchemaRegistry _registry = null!;
    private ChainFeature _feature = null!;
    private byte[] _bytes = null!;
    private AvroSerializer<GenericRecord> _confluent = null!;
    private SerializationContext _context;

    [GlobalSetup]
    public void Setup()
    {
        // The registry is asked once per schema; the client caches ids and schemas, so it is not measured.
        _registry = EmbeddedSchemaRegistry.Start();
        _serdes = new StreamSerdes(_registry.Client, new TopicOptions());
        _feature = SampleData.Feature();
        _bytes = _serdes.Features.SerializeAsync(_feature, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _confluent = new AvroSerializer<GenericRecord>(_registry.Client, new AvroSerializerConfig { AutoRegisterSchemas = true, SubjectNameStrategy = SubjectNameStrategy.Topic });
        _context = new SerializationContext(MessageComponentType.Value, _serdes.Features.Topic);
        if (!ConfluentEncode().AsSpan().SequenceEqual(_bytes))
            throw new InvalidOperationException("the baseline writes other bytes than the serde; the comparison would be meaningless");
    }

    [Benchmark(Baseline = true)]
    public byte[] ConfluentEncode() =>
        _confluent.SerializeAsync(ChainFeatureMapper.Instance.ToRecord(_feature, _serdes.Features.Schema), _context).GetAwaiter().GetResult();

    [Benchmark]
    public byte[] Encode() => _serdes.Features.SerializeAsync(_feature, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public ChainFeature Decode() => _serdes.Features.DeserializeAsync(_bytes, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => _registry.Dispose();
}
