using System.Buffers.Binary;

namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// A constant tensor stored in the graph (weights, axes, epsilons), kept as ONNX raw_data: the elements'
/// little-endian bytes in row-major order, which ONNX Runtime reads without conversion.
/// </summary>
public sealed record OnnxTensor
{
    private OnnxTensor(string name, OnnxElementType elementType, IReadOnlyList<long> dims, byte[] rawData)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var count = dims.Aggregate(1L, (a, d) => a * d);
        var size = elementType == OnnxElementType.Int64 ? 8 : 4;
        if (count * size != rawData.Length)
            throw new ArgumentException($"tensor {name}: shape [{string.Join(", ", dims)}] holds {count} elements, data has {rawData.Length / size}");
        Name = name;
        ElementType = elementType;
        Dims = dims;
        RawData = rawData;
    }

    /// <summary>The name nodes refer to it by.</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>Shape; empty for a scalar.</summary>
    public IReadOnlyList<long> Dims { get; }

    /// <summary>Little-endian element bytes, row-major.</summary>
    public byte[] RawData { get; }

    /// <summary>A float tensor of shape <paramref name="dims"/> (row-major data).</summary>
    public static OnnxTensor FromFloats(string name, ReadOnlySpan<float> data, params long[] dims)
    {
        var raw = new byte[data.Length * 4];
        for (var i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), data[i]);
        return new OnnxTensor(name, OnnxElementType.Float, dims.ToArray(), raw);
    }

    /// <summary>An int64 tensor of shape <paramref name="dims"/> (row-major data).</summary>
    public static OnnxTensor FromInt64s(string name, ReadOnlySpan<long> data, params long[] dims)
    {
        var raw = new byte[data.Length * 8];
        for (var i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), data[i]);
        return new OnnxTensor(name, OnnxElementType.Int64, dims.ToArray(), raw);
    }
}
