namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// Element types of tensors <see cref="OnnxModelWriter"/> can declare; the values are ONNX's
/// TensorProto.DataType numbers, written to the file as they are.
/// </summary>
public enum OnnxElementType
{
    /// <summary>32-bit float.</summary>
    Float = 1,
    /// <summary>32-bit signed integer.</summary>
    Int32 = 6,
    /// <summary>64-bit signed integer (token ids, masks, axes).</summary>
    Int64 = 7,
}
