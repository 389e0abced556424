namespace TrackRec.Streaming.Models.Onnx;

/// <summary>Kinds of node attributes the writer supports; values are ONNX's AttributeProto.AttributeType numbers.</summary>
public enum OnnxAttributeKind
{
    /// <summary>One float (field f).</summary>
    Float = 1,
    /// <summary>One int64 (field i).</summary>
    Int = 2,
    /// <summary>A list of int64 (field ints).</summary>
    Ints = 7,
}
