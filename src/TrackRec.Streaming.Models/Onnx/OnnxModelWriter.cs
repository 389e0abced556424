namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// Serialises an <see cref="OnnxGraph"/> as an ONNX ModelProto (IR version 8, default-domain opset 17,
/// both accepted by ONNX Runtime 1.31), writing the protobuf fields by hand: TorchSharp cannot export
/// ONNX, and the handful of messages a small encoder needs does not justify generated ONNX classes.
/// Field numbers are those of onnx/onnx.proto.
/// </summary>
public static class OnnxModelWriter
{
    /// <summary>ONNX IR version written (8: ONNX 1.10+).</summary>
    public const long IrVersion = 8;

    /// <summary>Default-domain operator set the graphs are written against (ReduceSum and Unsqueeze take axes as inputs).</summary>
    public const long OpsetVersion = 17;

    /// <summary>Producer name recorded in the file.</summary>
    public const string Producer = "trackrec";

    /// <summary>Writes the model to <paramref name="path"/>.</summary>
    public static void WriteFile(string path, OnnxGraph graph)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, Serialize(graph));
    }

    /// <summary>The model's bytes.</summary>
    public static byte[] Serialize(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new ProtoWriter()
            .Int64(1, IrVersion)                                            // ModelProto.ir_version
            .String(2, Producer)                                            // ModelProto.producer_name
            .Message(7, g => WriteGraph(g, graph))                          // ModelProto.graph
            .Message(8, o => o.String(1, string.Empty).Int64(2, OpsetVersion)) // opset_import{domain, version}
            .ToArray();
    }

    private static void WriteGraph(ProtoWriter w, OnnxGraph graph)
    {
        foreach (var node in graph.Nodes)
            w.Message(1, n => WriteNode(n, node));                         // GraphProto.node
        w.String(2, graph.Name);                                            // GraphProto.name
        foreach (var tensor in graph.Initializers)
            w.Message(5, t => WriteTensor(t, tensor));                     // GraphProto.initializer
        foreach (var input in graph.Inputs)
            w.Message(11, v => WriteValueInfo(v, input));                  // GraphProto.input
        foreach (var output in graph.Outputs)
            w.Message(12, v => WriteValueInfo(v, output));                 // GraphProto.output
    }

    private static void WriteNode(ProtoWriter w, OnnxNode node)
    {
        foreach (var input in node.Inputs)
            w.String(1, input);                                             // NodeProto.input
        foreach (var output in node.Outputs)
            w.String(2, output);                                            // NodeProto.output
        w.String(3, node.Name);                                             // NodeProto.name
        w.String(4, node.OpType);                                           // NodeProto.op_type
        foreach (var attribute in node.Attributes)
            w.Message(5, a => WriteAttribute(a, attribute));               // NodeProto.attribute
    }

    private static void WriteAttribute(ProtoWriter w, OnnxAttribute attribute)
    {
        w.String(1, attribute.Name);                                        // AttributeProto.name
        switch (attribute.Kind)
        {
            case OnnxAttributeKind.Float:
                w.Float(2, attribute.FloatValue);                           // AttributeProto.f
                break;
            case OnnxAttributeKind.Int:
                w.Int64(3, attribute.IntValue);                             // AttributeProto.i
                break;
            case OnnxAttributeKind.Ints:
                foreach (var value in attribute.Ints)
                    w.Int64(8, value);                                      // AttributeProto.ints (unpacked)
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(attribute), attribute.Kind, "unsupported attribute kind");
        }
        w.Int64(20, (long)attribute.Kind);                                  // AttributeProto.type
    }

    private static void WriteTensor(ProtoWriter w, OnnxTensor tensor)
    {
        foreach (var dim in tensor.Dims)
            w.Int64(1, dim);                                                // TensorProto.dims
        w.Int64(2, (long)tensor.ElementType);                               // TensorProto.data_type
        w.String(8, tensor.Name);                                           // TensorProto.name
        w.Bytes(9, tensor.RawData);                                         // TensorProto.raw_data
    }

    private static void WriteValueInfo(ProtoWriter w, OnnxValueInfo value)
    {
        w.String(1, value.Name);                                            // ValueInfoProto.name
        w.Message(2, type => type.Message(1, tensor =>                      // TypeProto.tensor_type
        {
            tensor.Int64(1, (long)value.ElementType);                       // TypeProto.Tensor.elem_type
            tensor.Message(2, shape =>                                      // TypeProto.Tensor.shape
            {
                foreach (var dim in value.Shape)
                    shape.Message(1, d =>                                   // TensorShapeProto.dim
                    {
                        if (dim.Value is { } fixedSize)
                            d.Int64(1, fixedSize);                          // Dimension.dim_value
                        else
                            d.String(2, dim.Name!);                         // Dimension.dim_param
                    });
            });
        }));
    }
}
