using System.Text;
using Avro;
using Avro.Generic;
using Avro.IO;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Serialization;

/// <summary>
/// <see cref="AvroRecordWriter"/> must write exactly what Apache.Avro's generic writer writes, for every record the
/// contract allows: random records of every contract schema, edge values included, are compared byte for byte.
/// </summary>
public sealed class AvroRecordWriterTests
{
    public static TheoryData<string> Schemas => [.. ContractSchemas.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Random_records_of_every_contract_schema_are_written_as_avros_own_writer_writes_them(string name)
    {
        var schema = ContractSchemas.All.Single(s => s.Name == name);
        var writer = new AvroRecordWriter(schema);
        var random = new Random(name.Length * 7919);

        for (var i = 0; i < 300; i++)
        {
            var record = (GenericRecord)RandomValue(schema, random)!;
            Assert.Equal(ApacheBody(schema, record), writer.WriteBody(record));
        }
    }

    [Fact]
    public void A_feature_with_two_384_wide_embeddings_is_written_as_avros_own_writer_writes_it_and_framed_with_the_id()
    {
        var random = new Random(3);
        var embedding = Enumerable.Range(0, 384).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var feature = new ChainFeature("imp-1", "user-1", "item-1", DateTimeOffset.UnixEpoch.AddDays(20_000), "c-1",
            "Engages with Drama (12 of 30 engagements). Passes over Horror.", ChainSource.Fresh, "g-1", embedding, 0.7,
            ["Western"], 3.5)
        { PromptEmbedding = [.. embedding.Reverse()], DegradedRoles = [] };
        var record = ChainFeatureMapper.Instance.ToRecord(feature, ContractSchemas.ChainFeature);

        var bytes = new AvroRecordWriter(ContractSchemas.ChainFeature).Serialize(record, 4242);

        Assert.Equal(4242, AvroWireFormat.ReadSchemaId(bytes));
        Assert.Equal(ApacheBody(ContractSchemas.ChainFeature, record), bytes[AvroWireFormat.HeaderLength..]);
    }

    [Fact]
    public void A_record_made_with_another_copy_of_the_schema_is_written_by_field_name()
    {
        var copy = ContractSchemas.Load("impression.avsc");
        Assert.NotSame(ContractSchemas.Impression, copy);
        var record = (GenericRecord)RandomValue(copy, new Random(5))!;

        Assert.Equal(ApacheBody(copy, record), new AvroRecordWriter(ContractSchemas.Impression).WriteBody(record));
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_an_avro_error_naming_the_field()
    {
        var record = (GenericRecord)RandomValue(ContractSchemas.ChainFeature, new Random(9))!;
        record.Add("embedding", new double[] { 1.0 });

        var e = Assert.Throws<AvroException>(() => new AvroRecordWriter(ContractSchemas.ChainFeature).WriteBody(record));

        Assert.Contains("ChainFeature.embedding[]", e.Message, StringComparison.Ordinal);
        Assert.Contains("float required but found System.Double", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_no_union_branch_takes_is_an_avro_error_naming_the_field()
    {
        var record = (GenericRecord)RandomValue(ContractSchemas.ChainFeature, new Random(11))!;
        record.Add("validator_score", 0.5f);

        var e = Assert.Throws<AvroException>(() => new AvroRecordWriter(ContractSchemas.ChainFeature).WriteBody(record));

        Assert.Contains("ChainFeature.validator_score", e.Message, StringComparison.Ordinal);
    }

    private static byte[] ApacheBody(RecordSchema schema, GenericRecord record)
    {
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    // A value of the schema's type as the generic writer takes it, with the edges of each type drawn often.
    private static object? RandomValue(Schema schema, Random random)
    {
        switch (schema)
        {
            case LogicalSchema logical:
                // timestamp-millis, the contract's only logical type.
                Assert.Equal("timestamp-millis", logical.LogicalTypeName);
                return DateTime.UnixEpoch.AddMilliseconds(random.NextInt64(-62_135_596_800_000, 253_402_300_799_999));
            case RecordSchema record:
            {
                var value = new GenericRecord(record);
                foreach (var field in record.Fields)
                    value.Add(field.Name, RandomValue(field.Schema, random));
                return value;
            }
            case EnumSchema enumSchema:
                return new GenericEnum(enumSchema, enumSchema.Symbols[random.Next(enumSchema.Count)]);
            case ArraySchema array:
            {
                var length = random.Next(4) switch { 0 => 0, 1 => 1, 2 => random.Next(2, 8), _ => random.Next(100, 400) };
                return array.ItemSchema.Tag switch
                {
                    Schema.Type.Float => Enumerable.Range(0, length).Select(_ => RandomFloat(random)).ToArray(),
                    Schema.Type.String => Enumerable.Range(0, Math.Min(length, 20)).Select(_ => RandomString(random)).ToArray(),
                    _ => Enumerable.Range(0, Math.Min(length, 20)).Select(_ => RandomValue(array.ItemSchema, random)).ToArray(),
                };
            }
            case UnionSchema union:
                return RandomValue(union.Schemas[random.Next(union.Count)], random);
        }
        return schema.Tag switch
        {
            Schema.Type.Null => null,
            Schema.Type.Boolean => random.Next(2) == 1,
            Schema.Type.Int => random.Next(4) switch { 0 => int.MinValue, 1 => int.MaxValue, 2 => 0, _ => random.Next(int.MinValue, int.MaxValue) },
            Schema.Type.Long => random.Next(4) switch { 0 => long.MinValue, 1 => long.MaxValue, 2 => -1L, _ => random.NextInt64(long.MinValue, long.MaxValue) },
            Schema.Type.Float => RandomFloat(random),
            Schema.Type.Double => random.Next(5) switch { 0 => double.NaN, 1 => -0.0, 2 => double.Epsilon, 3 => double.NegativeInfinity, _ => random.NextDouble() * 1e6 - 5e5 },
            Schema.Type.String => RandomString(random),
            Schema.Type.Bytes => Enumerable.Range(0, random.Next(40)).Select(_ => (byte)random.Next(256)).ToArray(),
            _ => throw new NotSupportedException($"no random {schema.Tag}"),
        };
    }

    private static float RandomFloat(Random random) => random.Next(8) switch
    {
        0 => float.NaN,
        1 => -0f,
        2 => float.Epsilon,
        3 => float.PositiveInfinity,
        _ => (float)(random.NextDouble() * 2 - 1),
    };

    // ASCII, accented and CJK letters, an emoji (a surrogate pair) and now and then an unpaired surrogate.
    private static string RandomString(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(300); i > 0; i--)
        {
            text.Append(random.Next(10) switch
            {
                0 => "é",
                1 => "漢",
                2 => "🎬",
                3 => random.Next(20) == 0 ? "\uD800" : "\"",
                _ => ((char)random.Next('a', 'z' + 1)).ToString(),
            });
        }
        return text.ToString();
    }
}
