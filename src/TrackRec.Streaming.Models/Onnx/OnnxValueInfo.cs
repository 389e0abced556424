namespace TrackRec.Streaming.Models.Onnx;

/// <summary>A graph input or output: name, element type and shape, as ONNX Runtime reports them back as metadata.</summary>
/// <param name="Name">Value name.</param>
/// <param name="ElementType">Element type.</param>
/// <param name="Shape">Dimensions, fixed or named.</param>
public sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, IReadOnlyList<OnnxDimension> Shape);
