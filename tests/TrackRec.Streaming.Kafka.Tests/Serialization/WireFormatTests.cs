using System.Buffers.Binary;
using Avro;
using Avro.Generic;
using Avro.IO;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Serialization;

public sealed class WireFormatTests
{
    private static readonly DateTimeOffset Ts = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly EmbeddedSchemaRegistry _registry;
    private readonly AvroSerde<Impression> _serde;

    public WireFormatTests(RegistryFixture fixture)
    {
        _registry = fixture.Registry;
        _serde = new ContractSerdes(_registry.Client).Impressions("impressions");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bytes_start_with_magic_zero_and_big_endian_schema_id()
    {
        var bytes = await _serde.SerializeAsync(new Impression("e", "u", "i", Ts, "imp"), Ct);
        var expectedId = EmbeddedSchemaRegistry.IdOf(ContractSchemas.Impression);
        Assert.Equal(0, bytes[0]);
        Assert.Equal(expectedId, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4)));
        Assert.Equal((byte)(expectedId >> 24), bytes[1]);
        Assert.Equal((byte)expectedId, bytes[4]);
        Assert.Equal(expectedId, AvroWireFormat.ReadSchemaId(bytes));
    }

    [Fact]
    public void Header_round_trips_any_id()
    {
        var bytes = AvroWireFormat.Write(0x01020304, [9, 8]);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 9, 8 }, bytes);
        var (id, body) = AvroWireFormat.Read(bytes);
        Assert.Equal(0x01020304, id);
        Assert.Equal(new byte[] { 9, 8 }, body.ToArray());
    }

    [Fact]
    public async Task Bad_magic_byte_is_a_wire_format_error()
    {
        var bytes = await _serde.SerializeAsync(new Impression("e", "u", "i", Ts, "imp"), Ct);
        bytes[0] = 1;
        var e = await Assert.ThrowsAsync<WireFormatException>(async () => await _serde.DeserializeAsync(bytes, Ct));
        Assert.Equal("wire-format", e.ErrorClass);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Short_buffer_is_a_wire_format_error(int length)
    {
        var e = await Assert.ThrowsAsync<WireFormatException>(
            async () => await _serde.DeserializeAsync(new byte[length], Ct));
        Assert.Equal("wire-format", e.ErrorClass);
    }

    [Fact]
    public async Task Unknown_schema_id()
    {
        var bytes = AvroWireFormat.Write(int.MaxValue - 7, [0, 0, 0]);
        var e = await Assert.ThrowsAsync<UnknownSchemaException>(async () => await _serde.DeserializeAsync(bytes, Ct));
        Assert.Equal("unknown-schema", e.ErrorClass);
        Assert.Equal(int.MaxValue - 7, e.SchemaId);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    [InlineData(new byte[] { 0x7F })]
    [InlineData(new byte[] { })]
    public async Task Garbage_body_is_an_avro_decode_error(byte[] body)
    {
        var bytes = AvroWireFormat.Write(EmbeddedSchemaRegistry.IdOf(ContractSchemas.Impression), body);
        var e = await Assert.ThrowsAsync<AvroDecodeException>(async () => await _serde.DeserializeAsync(bytes, Ct));
        Assert.Equal("avro-decode", e.ErrorClass);
    }

    [Fact]
    public async Task Trailing_bytes_are_an_avro_decode_error()
    {
        var bytes = await _serde.SerializeAsync(new Impression("e", "u", "i", Ts, "imp"), Ct);
        await Assert.ThrowsAsync<AvroDecodeException>(async () => await _serde.DeserializeAsync(new byte[][] { bytes, [0x00] }.SelectMany(b => b).ToArray(), Ct));
    }

    [Fact]
    public async Task Record_of_an_unrelated_schema_is_an_avro_decode_error()
    {
        // A click schema id on the impressions topic: the registry knows it, but it cannot resolve to Impression.
        var clicks = new ContractSerdes(_registry.Client).Clicks("clicks");
        var bytes = await clicks.SerializeAsync(new Click("e", "u", "i", Ts), Ct);
        await Assert.ThrowsAsync<AvroDecodeException>(async () => await _serde.DeserializeAsync(bytes, Ct));
    }

    [Fact]
    public async Task Impression_with_empty_user_id_is_an_invalid_event()
    {
        var bytes = Encode(ContractSchemas.Impression, r =>
        {
            r.Add("event_id", "e");
            r.Add("user_id", "");
            r.Add("item_id", "i");
            r.Add("ts", Ts.UtcDateTime);
            r.Add("impression_id", "imp");
            r.Add("position", null);
            r.Add("surface", null);
        });
        var e = await Assert.ThrowsAsync<InvalidEventException>(async () => await _serde.DeserializeAsync(bytes, Ct));
        Assert.Equal("invalid-event", e.ErrorClass);
        Assert.IsType<EventValidationException>(e.InnerException);
        Assert.Contains("user_id", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<RecordDecodeException>(e);
    }

    [Fact]
    public async Task Embedded_ids_are_deterministic_and_fetchable()
    {
        // A registry that has never seen a registration still serves every contract schema by its id.
        await using var other = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: Ct);
        foreach (var schema in ContractSchemas.All)
        {
            var id = EmbeddedSchemaRegistry.IdOf(schema);
            Assert.InRange(id, 1, int.MaxValue);
            Assert.Equal(id, EmbeddedSchemaRegistry.IdOf(Schema.Parse(schema.ToString())));
            var fetched = await other.Client.GetSchemaAsync(id);
            Assert.Equal(SchemaNormalization.ToParsingForm(schema), SchemaNormalization.ToParsingForm(Schema.Parse(fetched.SchemaString)));
        }

        Assert.Equal(ContractSchemas.All.Count, ContractSchemas.All.Select(EmbeddedSchemaRegistry.IdOf).Distinct().Count());
    }

    internal static byte[] Encode(RecordSchema schema, Action<GenericRecord> fill)
    {
        var record = new GenericRecord(schema);
        fill(record);
        return ByteCompatibilityTests.LegacyEncode(schema, record);
    }
}
