namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// One dimension of a graph input or output: a fixed size, or a name (batch, sequence) for a size only
/// known at run time. ONNX Runtime checks fixed sizes against the tensors it is fed.
/// </summary>
public readonly record struct OnnxDimension
{
    private OnnxDimension(long? value, string? name)
    {
        Value = value;
        Name = name;
    }

    /// <summary>The fixed size, or null for a named dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null for a fixed dimension.</summary>
    public string? Name { get; }

    /// <summary>A dimension of fixed size.</summary>
    public static OnnxDimension Fixed(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new OnnxDimension(value, null);
    }

    /// <summary>A dimension whose size is given at run time, e.g. "batch".</summary>
    public static OnnxDimension Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new OnnxDimension(null, name);
    }
}
