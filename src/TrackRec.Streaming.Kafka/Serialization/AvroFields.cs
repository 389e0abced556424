using Avro;
using Avro.Generic;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// Typed access to generic record fields, so every mapper converts times, unions, arrays and enums the same way
/// (UTC, millisecond precision; null for an absent optional).
/// </summary>
internal static class AvroFields
{
    private static readonly DateTime UnixEpoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static object? Get(GenericRecord record, string field) =>
        record.TryGetValue(field, out var value)
            ? value
            : throw new InvalidDataException($"{record.Schema.Fullname} has no field '{field}'");

    public static string String(GenericRecord record, string field) =>
        Get(record, field) as string ?? throw Unexpected(record, field, "a string");

    public static string? OptionalString(GenericRecord record, string field) =>
        Get(record, field) switch
        {
            null => null,
            string s => s,
            _ => throw Unexpected(record, field, "a string or null"),
        };

    public static int Int(GenericRecord record, string field) =>
        Get(record, field) is int i ? i : throw Unexpected(record, field, "an int");

    public static int? OptionalInt(GenericRecord record, string field) =>
        Get(record, field) switch
        {
            null => null,
            int i => i,
            _ => throw Unexpected(record, field, "an int or null"),
        };

    public static long Long(GenericRecord record, string field) =>
        Get(record, field) switch
        {
            long l => l,
            int i => i,
            _ => throw Unexpected(record, field, "a long"),
        };

    public static long? OptionalLong(GenericRecord record, string field) =>
        Get(record, field) switch
        {
            null => null,
            long l => l,
            int i => i,
            _ => throw Unexpected(record, field, "a long or null"),
        };

    public static bool Boolean(GenericRecord record, string field) =>
        Get(record, field) is bool b ? b : throw Unexpected(record, field, "a boolean");

    public static double Double(GenericRecord record, string field) =>
        Get(record, field) switch
        {
            double d => d,
            float f => f,
            long l => l,
            int i => i,
            _ => throw Unexpected(record, field, "a double"),
        };

    public static double? OptionalDouble(GenericRecord record, string field) =>
        Get(record, field) is null ? null : Double(record, field);

    public static byte[]? OptionalBytes(GenericRecord record, string field) =>
        Get(record, field) switch
        {
            null => null,
            byte[] b => b,
            _ => throw Unexpected(record, field, "bytes or null"),
        };

    public static DateTimeOffset Timestamp(GenericRecord record, string field) =>
        OptionalTimestamp(record, field) ?? throw Unexpected(record, field, "a timestamp");

    public static DateTimeOffset? OptionalTimestamp(GenericRecord record, string field) =>
        Get(record, field) switch
        {
            null => null,
            // Avro hands timestamp-millis out as a UTC DateTime; a writer without the logical type sends a plain long.
            DateTime dt => new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)),
            long ms => DateTimeOffset.FromUnixTimeMilliseconds(ms),
            _ => throw Unexpected(record, field, "a timestamp or null"),
        };

    public static IReadOnlyList<string> StringList(GenericRecord record, string field) =>
        Get(record, field) switch
        {
            null => [],
            string[] strings => strings,
            object[] items => Array.ConvertAll(items, item => item as string ?? throw Unexpected(record, field, "an array of strings")),
            _ => throw Unexpected(record, field, "an array of strings"),
        };

    public static IReadOnlyList<float> FloatList(GenericRecord record, string field) =>
        Get(record, field) switch
        {
            null => [],
            float[] floats => floats,
            object[] items => Array.ConvertAll(items, item => item is float f ? f : throw Unexpected(record, field, "an array of floats")),
            _ => throw Unexpected(record, field, "an array of floats"),
        };

    public static string EnumSymbol(GenericRecord record, string field) =>
        Get(record, field) switch
        {
            GenericEnum e => e.Value,
            string s => s,
            _ => throw Unexpected(record, field, "an enum symbol"),
        };

    /// <summary>The value Avro's writer expects for a timestamp-millis field, cut to whole milliseconds.</summary>
    public static DateTime ToAvro(DateTimeOffset value) =>
        UnixEpoch.AddMilliseconds(value.ToUnixTimeMilliseconds());

    public static DateTime? ToAvro(DateTimeOffset? value) => value is { } v ? ToAvro(v) : null;

    public static string[] ToAvro(IReadOnlyList<string>? values) => values is null ? [] : [.. values];

    // An embedding that already is an array is shared, not copied: the record only lives until it is written.
    public static float[] ToAvro(IReadOnlyList<float>? values) => values as float[] ?? (values is null ? [] : [.. values]);

    public static GenericEnum Enum(RecordSchema schema, string field, string symbol)
    {
        var fieldSchema = schema.TryGetField(field, out var f)
            ? f.Schema
            : throw new ArgumentException($"{schema.Fullname} has no field '{field}'", nameof(field));
        var enumSchema = fieldSchema as EnumSchema
            ?? (fieldSchema as UnionSchema)?.Schemas.OfType<EnumSchema>().FirstOrDefault()
            ?? throw new ArgumentException($"{schema.Fullname}.{field} is not an enum", nameof(field));
        return new GenericEnum(enumSchema, symbol);
    }

    private static InvalidDataException Unexpected(GenericRecord record, string field, string expected)
    {
        record.TryGetValue(field, out var value);
        return new InvalidDataException(
            $"{record.Schema.Fullname}.{field} should be {expected} but is {(value is null ? "null" : value.GetType().Name)}");
    }
}
