using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// A growable byte buffer with Avro's binary encodings of the primitive types (zig-zag varints, little-endian
/// IEEE floats, length-prefixed UTF-8). Unlike Apache.Avro's <c>BinaryEncoder</c>, which allocates a fresh array for
/// every float and every string it writes, it writes in place. Not thread-safe: one per thread.
/// </summary>
internal sealed class AvroBinaryBuffer
{
    // A buffer grown past this by one large record is not kept for the next one.
    private const int MaxKeptBytes = 1 << 20;
    private const int InitialBytes = 4096;

    private byte[] _bytes = new byte[InitialBytes];
    private int _length;

    /// <summary>What has been written since the last <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

    /// <summary>Starts over, keeping the storage unless one record made it unusually large.</summary>
    public void Reset()
    {
        if (_bytes.Length > MaxKeptBytes)
            _bytes = new byte[InitialBytes];
        _length = 0;
    }

    /// <summary>An Avro int or long: zig-zag, then 7 bits a byte, low bits first.</summary>
    public void WriteLong(long value)
    {
        var span = Reserve(10);
        var n = (ulong)((value << 1) ^ (value >> 63));
        var i = 0;
        while (n > 0x7F)
        {
            span[i++] = (byte)(n | 0x80);
            n >>= 7;
        }
        span[i++] = (byte)n;
        _length += i;
    }

    /// <summary>An Avro boolean: one byte, 1 or 0.</summary>
    public void WriteBoolean(bool value)
    {
        Reserve(1)[0] = value ? (byte)1 : (byte)0;
        _length++;
    }

    /// <summary>An Avro float: its IEEE bits, little-endian.</summary>
    public void WriteFloat(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
        _length += 4;
    }

    /// <summary>Floats one after another, as an array block's items are written.</summary>
    public void WriteFloats(ReadOnlySpan<float> values)
    {
        var span = Reserve(values.Length * sizeof(float));
        if (BitConverter.IsLittleEndian)
            MemoryMarshal.AsBytes(values).CopyTo(span);
        else
            for (var i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(span[(i * sizeof(float))..], values[i]);
        _length += values.Length * sizeof(float);
    }

    /// <summary>An Avro double: its IEEE bits, little-endian.</summary>
    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);
        _length += 8;
    }

    /// <summary>Avro bytes: the length, then the bytes.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteLong(value.Length);
        WriteFixed(value);
    }

    /// <summary>Bytes as they are (an Avro fixed, or a header).</summary>
    public void WriteFixed(ReadOnlySpan<byte> value)
    {
        value.CopyTo(Reserve(value.Length));
        _length += value.Length;
    }

    /// <summary>An Avro string: the UTF-8 length, then the UTF-8 bytes (unpaired surrogates become U+FFFD, as Avro's encoder has them).</summary>
    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        WriteLong(count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
        _length += count;
    }

    /// <summary>Confluent's wire-format header for <paramref name="schemaId"/>.</summary>
    public void WriteHeader(int schemaId)
    {
        AvroWireFormat.WriteHeader(Reserve(AvroWireFormat.HeaderLength), schemaId);
        _length += AvroWireFormat.HeaderLength;
    }

    private Span<byte> Reserve(int count)
    {
        var needed = _length + count;
        if (needed > _bytes.Length)
            Array.Resize(ref _bytes, Math.Max(needed, _bytes.Length * 2));
        return _bytes.AsSpan(_length, count);
    }
}
