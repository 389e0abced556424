namespace TrackRec.Streaming.Tests.Telemetry;

/// <summary>
/// Reads the protobuf wire format into (field number, value) pairs: varints and fixed values as numbers,
/// length-delimited fields as bytes (a nested message, a string or bytes, which the schema tells apart).
/// Malformed input throws, so "it parses" is a real check. Enough to walk OTLP's export requests by their
/// field numbers (opentelemetry-proto) without generated code.
/// </summary>
internal static class ProtobufReader
{
    public readonly record struct Field(int Number, ulong Number64, byte[]? Bytes);

    public static List<Field> Read(ReadOnlySpan<byte> data)
    {
        var fields = new List<Field>();
        var i = 0;
        while (i < data.Length)
        {
            var key = Varint(data, ref i);
            var number = (int)(key >> 3);
            if (number <= 0)
                throw new FormatException($"field number {number} at byte {i}");
            switch ((int)(key & 7))
            {
                case 0:
                    fields.Add(new Field(number, Varint(data, ref i), null));
                    break;
                case 1:
                    fields.Add(new Field(number, BitConverter.ToUInt64(Take(data, ref i, 8)), null));
                    break;
                case 2:
                    var length = checked((int)Varint(data, ref i));
                    fields.Add(new Field(number, 0, Take(data, ref i, length).ToArray()));
                    break;
                case 5:
                    fields.Add(new Field(number, BitConverter.ToUInt32(Take(data, ref i, 4)), null));
                    break;
                default:
                    throw new FormatException($"wire type {key & 7} at byte {i}");
            }
        }
        return fields;
    }

    /// <summary>The nested messages in field <paramref name="number"/>.</summary>
    public static IEnumerable<List<Field>> Messages(this List<Field> fields, int number) =>
        fields.Where(f => f.Number == number).Select(f => Read(f.Bytes ?? throw new FormatException($"field {number} is not length-delimited")));

    public static string? String(this List<Field> fields, int number) =>
        fields.LastOrDefault(f => f.Number == number).Bytes is { } b ? System.Text.Encoding.UTF8.GetString(b) : null;

    public static string? Hex(this List<Field> fields, int number) =>
        fields.LastOrDefault(f => f.Number == number).Bytes is { } b ? Convert.ToHexStringLower(b) : null;

    private static ulong Varint(ReadOnlySpan<byte> data, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (i >= data.Length)
                throw new FormatException("truncated varint");
            var b = data[i++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
                return value;
        }
        throw new FormatException("varint longer than 10 bytes");
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, ref int i, int length)
    {
        if (length < 0 || i + length > data.Length)
            throw new FormatException($"field of {length} bytes at {i} runs past the end ({data.Length})");
        var slice = data.Slice(i, length);
        i += length;
        return slice;
    }
}
