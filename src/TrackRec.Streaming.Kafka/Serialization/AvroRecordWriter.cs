using Avro;
using Avro.Generic;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// Avro's binary encoding of a <see cref="GenericRecord"/>, resolved once per schema and written in place.
/// Apache.Avro's writer boxes every array element and its encoder allocates an array for every float and string
/// (about 56 bytes per embedding float, so two 384-d embeddings cost a feature record some 43 KB), and Confluent's
/// serializer builds a new writer and hashes the whole schema for every record. The bytes are Avro's:
/// <c>AvroRecordWriterTests</c> holds them to Apache's <see cref="GenericDatumWriter{T}"/> on every contract schema.
/// The same values are accepted as there (a <c>string</c> for a string, a <c>float[]</c> or any array for an array,
/// a <see cref="GenericEnum"/> for an enum, a <see cref="DateTime"/> for a timestamp-millis...), and a value of
/// the wrong type is an <see cref="AvroException"/> naming the field. Thread-safe.
/// </summary>
public sealed class AvroRecordWriter
{
    private delegate void WriteValue(object? value, AvroBinaryBuffer buffer);

    [ThreadStatic]
    private static AvroBinaryBuffer? t_buffer;

    private readonly WriteValue _write;

    /// <summary>Resolves the writer for <paramref name="schema"/>.</summary>
    public AvroRecordWriter(RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _write = Resolve(schema, schema.Name);
    }

    /// <summary>The schema records are written with.</summary>
    public RecordSchema Schema { get; }

    /// <summary><paramref name="record"/> in Confluent's wire format: the header for <paramref name="schemaId"/>, then the Avro body.</summary>
    public byte[] Serialize(GenericRecord record, int schemaId)
    {
        var buffer = Buffer();
        buffer.WriteHeader(schemaId);
        _write(record, buffer);
        return buffer.Written.ToArray();
    }

    /// <summary>The Avro body of <paramref name="record"/> alone.</summary>
    public byte[] WriteBody(GenericRecord record)
    {
        var buffer = Buffer();
        _write(record, buffer);
        return buffer.Written.ToArray();
    }

    private static AvroBinaryBuffer Buffer()
    {
        var buffer = t_buffer ??= new AvroBinaryBuffer();
        buffer.Reset();
        return buffer;
    }

    private static WriteValue Resolve(Schema schema, string path) => schema switch
    {
        LogicalSchema logical => ResolveLogical(logical, path),
        RecordSchema record => ResolveRecord(record, path),
        EnumSchema enumSchema => ResolveEnum(enumSchema, path),
        ArraySchema array => ResolveArray(array, path),
        MapSchema map => ResolveMap(map, path),
        UnionSchema union => ResolveUnion(union, path),
        FixedSchema fixedSchema => (v, b) => b.WriteFixed(v is GenericFixed f && f.Schema.SchemaName.Equals(fixedSchema.SchemaName) ? f.Value : throw Mismatch(path, v, "fixed " + fixedSchema.Fullname)),
        _ => schema.Tag switch
        {
            Avro.Schema.Type.Null => (v, _) => { if (v is not null) throw Mismatch(path, v, "null"); },
            Avro.Schema.Type.Boolean => (v, b) => b.WriteBoolean(v is bool x ? x : throw Mismatch(path, v, "boolean")),
            Avro.Schema.Type.Int => (v, b) => b.WriteLong(v is int x ? x : throw Mismatch(path, v, "int")),
            Avro.Schema.Type.Long => (v, b) => b.WriteLong(v is long x ? x : throw Mismatch(path, v, "long")),
            Avro.Schema.Type.Float => (v, b) => b.WriteFloat(v is float x ? x : throw Mismatch(path, v, "float")),
            Avro.Schema.Type.Double => (v, b) => b.WriteDouble(v is double x ? x : throw Mismatch(path, v, "double")),
            Avro.Schema.Type.String => (v, b) => b.WriteString(v as string ?? throw Mismatch(path, v, "string")),
            Avro.Schema.Type.Bytes => (v, b) => b.WriteBytes(v as byte[] ?? throw Mismatch(path, v, "bytes")),
            _ => throw new NotSupportedException($"{path}: Avro type {schema.Tag} has no writer"),
        },
    };

    // A logical value (a DateTime for timestamp-millis...) is converted as Avro converts it, then written as its base type.
    private static WriteValue ResolveLogical(LogicalSchema schema, string path)
    {
        var writeBase = Resolve(schema.BaseSchema, path);
        return (v, b) => writeBase(v is null ? throw Mismatch(path, v, schema.LogicalTypeName) : schema.LogicalType.ConvertToBaseValue(v, schema), b);
    }

    private static WriteValue ResolveRecord(RecordSchema schema, string path)
    {
        var fields = schema.Fields.Select(f => (f.Name, f.Pos, Write: Resolve(f.Schema, path + "." + f.Name))).ToArray();
        return (v, b) =>
        {
            if (v is not GenericRecord record || !record.Schema.SchemaName.Equals(schema.SchemaName))
                throw Mismatch(path, v, "record " + schema.Fullname);
            // A record made with this very schema is read by position; one made with another version of it, by name.
            var samePositions = ReferenceEquals(record.Schema, schema);
            foreach (var (name, pos, write) in fields)
            {
                object? value;
                if (samePositions)
                    value = record.GetValue(pos);
                else if (!record.TryGetValue(name, out value))
                    throw new AvroException($"{path}: the record has no field '{name}'");
                write(value, b);
            }
        };
    }

    private static WriteValue ResolveEnum(EnumSchema schema, string path) => (v, b) =>
    {
        if (v is not GenericEnum symbol || !symbol.Schema.SchemaName.Equals(schema.SchemaName))
            throw Mismatch(path, v, "enum " + schema.Fullname);
        b.WriteLong(schema.Ordinal(symbol.Value));
    };

    // Blocks as Avro's encoder writes them: one block with its count (none when empty), then a zero count.
    private static WriteValue ResolveArray(ArraySchema schema, string path)
    {
        var writeItem = Resolve(schema.ItemSchema, path + "[]");
        var ofFloats = schema.ItemSchema.Tag == Avro.Schema.Type.Float;
        return (v, b) =>
        {
            if (ofFloats && v is float[] floats)
            {
                if (floats.Length > 0)
                    b.WriteLong(floats.Length);
                b.WriteFloats(floats);
            }
            else if (v is Array array and not byte[])
            {
                if (array.Length > 0)
                    b.WriteLong(array.Length);
                for (var i = 0; i < array.Length; i++)
                    writeItem(array.GetValue(i), b);
            }
            else
            {
                throw Mismatch(path, v, "array");
            }
            b.WriteLong(0);
        };
    }

    private static WriteValue ResolveMap(MapSchema schema, string path)
    {
        var writeValue = Resolve(schema.ValueSchema, path + "{}");
        return (v, b) =>
        {
            if (v is not IDictionary<string, object> map)
                throw Mismatch(path, v, "map");
            if (map.Count > 0)
                b.WriteLong(map.Count);
            foreach (var (key, value) in map)
            {
                b.WriteString(key);
                writeValue(value, b);
            }
            b.WriteLong(0);
        };
    }

    // The first branch the value fits, by the rules of Avro's generic writer.
    private static WriteValue ResolveUnion(UnionSchema schema, string path)
    {
        var branches = schema.Schemas.Select(s => (Matches: Matcher(s), Write: Resolve(s, path))).ToArray();
        return (v, b) =>
        {
            for (var i = 0; i < branches.Length; i++)
            {
                if (branches[i].Matches(v))
                {
                    b.WriteLong(i);
                    branches[i].Write(v, b);
                    return;
                }
            }
            throw new AvroException($"{path}: no branch of {schema} takes a {(v is null ? "null" : v.GetType().ToString())}");
        };
    }

    private static Func<object?, bool> Matcher(Schema branch) => branch switch
    {
        LogicalSchema logical => v => v is not null && logical.LogicalType.IsInstanceOfLogicalType(v),
        RecordSchema record => v => v is GenericRecord r && r.Schema.SchemaName.Equals(record.SchemaName),
        EnumSchema enumSchema => v => v is GenericEnum e && e.Schema.SchemaName.Equals(enumSchema.SchemaName),
        FixedSchema fixedSchema => v => v is GenericFixed f && f.Schema.SchemaName.Equals(fixedSchema.SchemaName),
        ArraySchema => v => v is Array and not byte[],
        MapSchema => v => v is IDictionary<string, object>,
        _ => branch.Tag switch
        {
            Avro.Schema.Type.Null => v => v is null,
            Avro.Schema.Type.Boolean => v => v is bool,
            Avro.Schema.Type.Int => v => v is int,
            Avro.Schema.Type.Long => v => v is long,
            Avro.Schema.Type.Float => v => v is float,
            Avro.Schema.Type.Double => v => v is double,
            Avro.Schema.Type.String => v => v is string,
            Avro.Schema.Type.Bytes => v => v is byte[],
            _ => throw new NotSupportedException($"a union branch of type {branch.Tag} has no writer"),
        },
    };

    private static AvroException Mismatch(string path, object? value, string expected) =>
        new($"{path}: {expected} required but found {(value is null ? "null" : value.GetType().ToString())}");
}
