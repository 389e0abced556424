using System.Buffers.Binary;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// Confluent's wire format (byte 0: magic 0; bytes 1-4: big-endian schema id; then the Avro binary body),
/// so our topics stay readable by any Confluent client and ours can read theirs.
/// </summary>
public static class AvroWireFormat
{
    /// <summary>The only magic byte Confluent has defined.</summary>
    public const byte MagicByte = 0;

    /// <summary>Magic byte plus schema id.</summary>
    public const int HeaderLength = 5;

    /// <summary>Writes the header for <paramref name="schemaId"/> into the first <see cref="HeaderLength"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, int schemaId)
    {
        if (destination.Length < HeaderLength)
            throw new ArgumentException($"need {HeaderLength} bytes for the header", nameof(destination));
        destination[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(destination[1..], schemaId);
    }

    /// <summary>Returns header plus <paramref name="body"/> as one new array.</summary>
    public static byte[] Write(int schemaId, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[HeaderLength + body.Length];
        WriteHeader(bytes, schemaId);
        body.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }

    /// <summary>Reads the schema id; throws <see cref="WireFormatException"/> if the header is missing or wrong.</summary>
    public static int ReadSchemaId(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderLength)
            throw new WireFormatException(
                $"record is {data.Length} bytes, shorter than the {HeaderLength}-byte wire-format header");
        if (data[0] != MagicByte)
            throw new WireFormatException($"unknown magic byte 0x{data[0]:x2}; expected 0x{MagicByte:x2}");
        return BinaryPrimitives.ReadInt32BigEndian(data[1..]);
    }

    /// <summary>Splits a record into its schema id and Avro body (a slice of <paramref name="data"/>, no copy).</summary>
    public static (int SchemaId, ReadOnlyMemory<byte> Body) Read(ReadOnlyMemory<byte> data)
    {
        var schemaId = ReadSchemaId(data.Span);
        return (schemaId, data[HeaderLength..]);
    }
}
