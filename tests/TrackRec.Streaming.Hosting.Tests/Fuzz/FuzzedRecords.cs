using System.Buffers.Binary;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Avro.IO;
using CsCheck;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Tests.Hosting.Fuzz;

/// <summary>
/// Generators of hostile input records (CsCheck, so a failing run prints its seed): random bytes, a
/// truncated Avro body, a wrong magic byte, an unknown schema id, valid Avro that breaks the contract
/// (empty or oversized ids, invalid UTF-8, times before 1970 or after 2100, negative positions),
/// oversized values, and impressions written with an older or newer COMPATIBLE schema, which must decode.
/// Avro bodies are encoded here from the contract's schemas, bypassing the producer-side validation, and
/// framed in the Confluent wire format with ids from the registry the worker reads.
/// </summary>
internal sealed class FuzzedRecords
{
    private readonly TopicOptions _topics;
    private readonly IReadOnlyList<string> _users;
    private readonly DateTimeOffset _from;
    private readonly DateTimeOffset _to;
    private readonly Dictionary<string, (RecordSchema Schema, int Id)> _current = [];
    private RecordSchema _older = null!;
    private RecordSchema _newer = null!;
    private int _olderId;
    private int _newerId;

    private FuzzedRecords(TopicOptions topics, IReadOnlyList<string> users, DateTimeOffset from, DateTimeOffset to)
    {
        _topics = topics;
        _users = users;
        _from = from;
        _to = to;
    }

    /// <summary>Registers the schemas the generated records are written with; users and times are those of the good stream.</summary>
    public static async Task<FuzzedRecords> CreateAsync(Confluent.SchemaRegistry.ISchemaRegistryClient registry, TopicOptions topics, IReadOnlyList<string> users, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var records = new FuzzedRecords(topics, users, from, to);
        foreach (var (topic, schema) in new[] { (topics.Impressions, ContractSchemas.Impression), (topics.Clicks, ContractSchemas.Click), (topics.Comments, ContractSchemas.Comment), (topics.Items, ContractSchemas.Item) })
            records._current[topic] = (schema, await Register(registry, topic + "-value", schema, ct));
        // Older: the impression before `surface` was added (the reader fills its default). Newer: one more optional field (the reader skips it).
        records._older = Edit(ContractSchemas.Impression, fields => fields.RemoveAt(fields.Count - 1));
        records._newer = Edit(ContractSchemas.Impression, fields => fields.Add(JsonNode.Parse("""{"name": "channel", "type": ["null", "string"], "default": null}""")));
        records._olderId = await Register(registry, topics.Impressions + "-value", records._older, ct);
        records._newerId = await Register(registry, topics.Impressions + "-value", records._newer, ct);
        return records;
    }

    private static Task<int> Register(Confluent.SchemaRegistry.ISchemaRegistryClient registry, string subject, Schema schema, CancellationToken ct) =>
        registry.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(schema.ToString(), Confluent.SchemaRegistry.SchemaType.Avro)).WaitAsync(ct);

    private string[] InputTopics => [_topics.Impressions, _topics.Clicks, _topics.Comments, _topics.Items];

    private Gen<string> User => Gen.Int[0, _users.Count - 1].Select(i => _users[i]);

    private Gen<DateTimeOffset> InRange => Gen.Long[_from.ToUnixTimeMilliseconds(), _to.ToUnixTimeMilliseconds()].Select(DateTimeOffset.FromUnixTimeMilliseconds);

    // Written records are re-stamped with their neighbour's time by the producer (as an upstream producer
    // stamps what it sends); a far timestamp would hold its input back in the event-time merge, see the test.
    private Gen<DateTimeOffset> Timestamp => InRange;

    private Gen<string> Id => Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[4, 16].Select(c => "fz-" + new string(c));

    /// <summary>A record of any hostile kind: every one must be dead-lettered.</summary>
    public Gen<FuzzedRecord> Bad => Gen.Frequency(
        (3, RandomBytes),
        (2, Truncated),
        (2, WrongMagic),
        (2, UnknownSchema),
        (2, ContractBreaking),
        (1, InvalidUtf8));

    /// <summary>An impression written with an older or newer compatible schema: must decode and get its feature.</summary>
    public Gen<FuzzedRecord> Compatible => Gen.Select(Gen.Bool, User, Id, Id, InRange, Gen.Int[0, 20]).Select((older, user, item, imp, ts, position) =>
    {
        var schema = older ? _older : _newer;
        var record = Impression(schema, user, item, ts, "fzimp-" + imp, position);
        return new FuzzedRecord(older ? "older-schema" : "newer-schema", _topics.Impressions, user, Frame(older ? _olderId : _newerId, Encode(schema, record)), ts, "fzimp-" + imp);
    });

    private Gen<FuzzedRecord> RandomBytes => Gen.Select(Gen.Int[0, InputTopics.Length - 1], User, Gen.Byte.Array[0, 200], Timestamp)
        .Select((t, user, bytes, ts) => new FuzzedRecord("random-bytes", InputTopics[t], user, bytes, ts));

    private Gen<FuzzedRecord> Truncated => Gen.Select(ValidBody, Gen.Double[0, 0.95], Timestamp)
        .Select((v, cut, ts) => new FuzzedRecord("truncated-body", v.Topic, v.Key, v.Framed[..(5 + (int)((v.Framed.Length - 5) * cut))], ts));

    private Gen<FuzzedRecord> WrongMagic => Gen.Select(ValidBody, Gen.Byte[1, 255], Timestamp)
        .Select((v, magic, ts) => new FuzzedRecord("wrong-magic-byte", v.Topic, v.Key, [magic, .. v.Framed[1..]], ts));

    private Gen<FuzzedRecord> UnknownSchema => Gen.Select(ValidBody, Gen.Int[1, int.MaxValue], Timestamp)
        .Where((v, id, _) => id != v.Id && id != _olderId && id != _newerId && !_current.Values.Any(c => c.Id == id))
        .Select((v, id, ts) => new FuzzedRecord("unknown-schema-id", v.Topic, v.Key, Frame(id, v.Framed[5..]), ts));

    // Valid Avro with the topic's own schema and id, carrying values the contract refuses.
    private Gen<FuzzedRecord> ContractBreaking => Gen.Select(User, Id, Gen.Int[0, 4], Timestamp, Gen.Int[0, 3]).Select((user, id, kind, ts, topic) =>
    {
        var (damage, itemId, time, position) = kind switch
        {
            0 => ("empty-id", "", InRangeMiddle, 1),
            1 => ("long-id", new string('x', 300 + id.Length * 100), InRangeMiddle, 1),
            2 => ("time-before-1970", id, new DateTimeOffset(1969, 7, 20, 20, 17, 0, TimeSpan.Zero), 1),
            3 => ("time-after-2100", id, new DateTimeOffset(2150, 1, 1, 0, 0, 0, TimeSpan.Zero), 1),
            _ => ("negative-position", id, InRangeMiddle, -1 - id.Length),
        };
        // A negative position only exists on impressions; the other damage goes to any behaviour topic.
        var target = damage == "negative-position" ? 0 : topic % 3;
        var (schema, schemaId) = _current[InputTopics[target]];
        var record = Behaviour(schema, user, itemId, time, "imp-" + id, position);
        return new FuzzedRecord(damage, InputTopics[target], user, Frame(schemaId, Encode(schema, record)), ts);
    });

    // Invalid UTF-8 inside an Avro string: the bytes are swapped in after encoding, keeping the length prefix right.
    private Gen<FuzzedRecord> InvalidUtf8 => Gen.Select(User, Gen.OneOf<byte[]>([0xFF, 0xFE, 0xFD, 0xFC], [0xC3, 0x28, 0xC3, 0x28], [0xED, 0xA0, 0x80, 0x41], [0xE2, 0x82, 0x41, 0x41]), Timestamp, Gen.Bool)
        .Select((user, bad, ts, inText) =>
        {
            var topic = inText ? _topics.Comments : _topics.Clicks;
            var (schema, id) = _current[topic];
            var record = Behaviour(schema, user, inText ? "item-1" : "@@@@", InRangeMiddle, "imp-x", 1, text: inText ? "ok @@@@ ok" : "fine");
            var body = Encode(schema, record);
            var at = body.AsSpan().IndexOf("@@@@"u8);
            bad.CopyTo(body, at);
            return new FuzzedRecord("invalid-utf8", topic, user, Frame(id, body), ts);
        });

    /// <summary>
    /// A value far above any real record: random bytes, or valid Avro whose id is a megabyte. Kept apart from
    /// <see cref="Bad"/> because the embedded Kafka keeps only about 5 MiB per partition, so a run writes a few.
    /// </summary>
    public Gen<FuzzedRecord> Oversized => Gen.Select(User, Gen.Int[200_000, 900_000], Gen.Bool, Timestamp).Select((user, size, avro, ts) =>
    {
        if (!avro)
            return new FuzzedRecord("oversized-bytes", _topics.Clicks, user, new byte[size], ts);
        var (schema, id) = _current[_topics.Clicks];
        var record = Behaviour(schema, user, new string('m', 1 << 20), InRangeMiddle, "imp-x", 1);
        return new FuzzedRecord("oversized-1mb-id", _topics.Clicks, user, Frame(id, Encode(schema, record)), ts);
    });

    private DateTimeOffset InRangeMiddle => _from + (_to - _from) / 2;

    private Gen<(string Topic, string Key, int Id, byte[] Framed)> ValidBody => Gen.Select(User, Id, Gen.Int[0, 2], InRange).Select((user, item, t, ts) =>
    {
        var topic = InputTopics[t];
        var (schema, id) = _current[topic];
        return (topic, user, id, Frame(id, Encode(schema, Behaviour(schema, user, item, ts, "imp-" + item, 1))));
    });

    private static GenericRecord Behaviour(RecordSchema schema, string user, string item, DateTimeOffset ts, string impressionId, int position, string text = "fine")
    {
        var record = new GenericRecord(schema);
        foreach (var field in schema.Fields)
        {
            record.Add(field.Name, field.Name switch
            {
                "event_id" => "fz-" + Guid.NewGuid().ToString("N"),
                "user_id" => user,
                "item_id" => item,
                "ts" => ts.UtcDateTime,
                "impression_id" => impressionId,
                "position" => position,
                "text" => text,
                _ => null,
            });
        }
        return record;
    }

    private static GenericRecord Impression(RecordSchema schema, string user, string item, DateTimeOffset ts, string impressionId, int position) =>
        Behaviour(schema, user, item, ts, impressionId, position);

    private static byte[] Encode(RecordSchema schema, GenericRecord record)
    {
        using var buffer = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(schema).Write(record, new BinaryEncoder(buffer));
        return buffer.ToArray();
    }

    // The Confluent wire format: magic byte 0, the schema id big-endian, the Avro body.
    private static byte[] Frame(int schemaId, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), schemaId);
        body.CopyTo(bytes.AsSpan(5));
        return bytes;
    }

    private static RecordSchema Edit(RecordSchema schema, Action<JsonArray> editFields)
    {
        var json = JsonNode.Parse(schema.ToString())!.AsObject();
        editFields(json["fields"]!.AsArray());
        return (RecordSchema)Schema.Parse(json.ToJsonString());
    }
}
