namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// A graph being put together for <see cref="OnnxModelWriter"/>: inputs, outputs, constant tensors and
/// nodes in topological order (ONNX requires every node's inputs to be defined before it). TorchSharp
/// has no ONNX exporter, so the trained encoder is rebuilt from these pieces.
/// </summary>
public sealed class OnnxGraph
{
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly List<OnnxNode> _nodes = [];

    /// <summary>Starts an empty graph called <paramref name="name"/>.</summary>
    public OnnxGraph(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>Graph name.</summary>
    public string Name { get; }

    /// <summary>Values the caller feeds.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs => _inputs;

    /// <summary>Values the caller gets back.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs => _outputs;

    /// <summary>Constant tensors.</summary>
    public IReadOnlyList<OnnxTensor> Initializers => _initializers;

    /// <summary>Nodes, in the order they were added.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>Declares an input.</summary>
    public OnnxGraph AddInput(string name, OnnxElementType type, params OnnxDimension[] shape)
    {
        _inputs.Add(new OnnxValueInfo(name, type, shape.ToArray()));
        return this;
    }

    /// <summary>Declares an output; some node must produce it.</summary>
    public OnnxGraph AddOutput(string name, OnnxElementType type, params OnnxDimension[] shape)
    {
        _outputs.Add(new OnnxValueInfo(name, type, shape.ToArray()));
        return this;
    }

    /// <summary>Adds a constant tensor.</summary>
    public OnnxGraph AddInitializer(OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _initializers.Add(tensor);
        return this;
    }

    /// <summary>Adds a node with one output; its name is the output's name.</summary>
    public OnnxGraph AddNode(string opType, IReadOnlyList<string> inputs, string output, params OnnxAttribute[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrWhiteSpace(output);
        _nodes.Add(new OnnxNode(opType, inputs.ToArray(), [output], $"{opType}_{output}", attributes.ToArray()));
        return this;
    }
}
