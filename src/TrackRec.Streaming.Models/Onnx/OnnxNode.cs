namespace TrackRec.Streaming.Models.Onnx;

/// <summary>One operator application in a graph: op type (default ONNX domain), named inputs and outputs, attributes.</summary>
/// <param name="OpType">The operator, e.g. "MatMul".</param>
/// <param name="Inputs">Names of the values it reads, in the operator's order.</param>
/// <param name="Outputs">Names of the values it makes.</param>
/// <param name="Name">Node name (diagnostics only).</param>
/// <param name="Attributes">Its attributes.</param>
public sealed record OnnxNode(
    string OpType,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    string Name,
    IReadOnlyList<OnnxAttribute> Attributes);
