using Avro;
using Avro.Generic;
using Avro.IO;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Serialization;

/// <summary>
/// Records written before Confluent's serdes replaced the hand-written ones must stay readable, and records
/// written now must be what a reader of the old format expects: the same bytes for the same record and id. The
/// serde now writes with its own <see cref="AvroRecordWriter"/>, so it is also held to Confluent's serializer.
/// <see cref="LegacyEncode"/> is the old write path (header of magic 0 and the fingerprint id, then Avro's
/// binary encoding), frozen here as the reference.
/// </summary>
public sealed class ByteCompatibilityTests(RegistryFixture registry)
{
    private static readonly DateTimeOffset Ts = new(2025, 3, 4, 10, 30, 15, 123, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ContractSerdes Serdes => new(registry.Registry.Client);

    public static TheoryData<string> Features => ["fresh", "degraded"];

    private static ChainFeature Feature(string kind) => kind == "fresh"
        ? new ChainFeature("imp1", "u1", "i1", Ts, "c1", "likes jazz → try bebop", ChainSource.Fresh, "gen-2",
            [0.5f, -1.25f, float.Epsilon], 0.875, ["i9", "cat:bebop"], 12.5)
        { DegradedRoles = ["reflection"] }
        : ChainFeature.For(new Impression("e1", "u1", "i1", Ts, "imp1"), null, ChainSource.Degraded, 0);

    [Theory]
    [MemberData(nameof(Features))]
    public async Task The_serde_writes_the_bytes_the_old_serde_wrote(string kind)
    {
        var value = Feature(kind);

        var now = await Serdes.ChainFeatures("features").SerializeAsync(value, Ct);
        var before = LegacyEncode(ContractSchemas.ChainFeature, ChainFeatureMapper.Instance.ToRecord(value, ContractSchemas.ChainFeature));

        Assert.Equal(before, now);
        Assert.Equal(EmbeddedSchemaRegistry.IdOf(ContractSchemas.ChainFeature), AvroWireFormat.ReadSchemaId(now));
    }

    [Theory]
    [MemberData(nameof(Features))]
    public async Task The_serde_writes_the_bytes_confluents_serializer_writes(string kind)
    {
        var value = Feature(kind);
        var serializer = new AvroSerializer<GenericRecord>(registry.Registry.Client, new AvroSerializerConfig
        {
            AutoRegisterSchemas = true,
            SubjectNameStrategy = SubjectNameStrategy.Topic,
        });

        var ours = await Serdes.ChainFeatures("features").SerializeAsync(value, Ct);
        var confluent = await serializer.SerializeAsync(
            ChainFeatureMapper.Instance.ToRecord(value, ContractSchemas.ChainFeature), new SerializationContext(MessageComponentType.Value, "features"));

        Assert.Equal(confluent, ours);
    }

    [Fact]
    public async Task Impressions_too_are_byte_identical()
    {
        var value = new Impression("e1", "u1", "i1", Ts, "imp1", 3, "home");

        var now = await Serdes.Impressions("impressions").SerializeAsync(value, Ct);

        Assert.Equal(LegacyEncode(ContractSchemas.Impression, ImpressionMapper.Instance.ToRecord(value, ContractSchemas.Impression)), now);
    }

    [Theory]
    [MemberData(nameof(Features))]
    public async Task Old_records_read_back_through_our_serde_and_through_confluents_own_deserializer(string kind)
    {
        var value = Feature(kind);
        var before = LegacyEncode(ContractSchemas.ChainFeature, ChainFeatureMapper.Instance.ToRecord(value, ContractSchemas.ChainFeature));

        var ours = await Serdes.ChainFeatures("features").DeserializeAsync(before, Ct);
        var confluent = await new AvroDeserializer<GenericRecord>(registry.Registry.Client)
            .DeserializeAsync(before, isNull: false, new SerializationContext(MessageComponentType.Value, "features"));

        Assert.Equal(ChainFeatureMapper.Instance.ToRecord(value, ContractSchemas.ChainFeature), ChainFeatureMapper.Instance.ToRecord(ours, ContractSchemas.ChainFeature));
        // Confluent's reader decodes in the writer's schema; mapped back, it is the same feature.
        Assert.Equal(ChainFeatureMapper.Instance.ToRecord(value, ContractSchemas.ChainFeature), ChainFeatureMapper.Instance.ToRecord(ChainFeatureMapper.Instance.FromRecord(confluent), ContractSchemas.ChainFeature));
    }

    /// <summary>The pre-Confluent write path, byte for byte.</summary>
    internal static byte[] LegacyEncode(RecordSchema schema, GenericRecord record)
    {
        using var body = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(schema).Write(record, new BinaryEncoder(body));
        return AvroWireFormat.Write(EmbeddedSchemaRegistry.IdOf(schema), body.ToArray());
    }
}
