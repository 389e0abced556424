namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// A node attribute (e.g. Cast's "to", ReduceSum's "keepdims"). Only the kinds small encoder graphs need
/// exist; build one with <see cref="Int"/>, <see cref="IntList"/> or <see cref="Float"/>.
/// </summary>
public sealed record OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeKind kind, long intValue, IReadOnlyList<long> ints, float floatValue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
        IntValue = intValue;
        Ints = ints;
        FloatValue = floatValue;
    }

    /// <summary>Attribute name as the operator defines it.</summary>
    public string Name { get; }

    /// <summary>Which value field is set.</summary>
    public OnnxAttributeKind Kind { get; }

    /// <summary>The value of an <see cref="OnnxAttributeKind.Int"/> attribute.</summary>
    public long IntValue { get; }

    /// <summary>The values of an <see cref="OnnxAttributeKind.Ints"/> attribute.</summary>
    public IReadOnlyList<long> Ints { get; }

    /// <summary>The value of a <see cref="OnnxAttributeKind.Float"/> attribute.</summary>
    public float FloatValue { get; }

    /// <summary>An int64 attribute.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int, value, [], 0f);

    /// <summary>An int64-list attribute.</summary>
    public static OnnxAttribute IntList(string name, params long[] values) => new(name, OnnxAttributeKind.Ints, 0, values.ToArray(), 0f);

    /// <summary>A float attribute.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeKind.Float, 0, [], value);
}
