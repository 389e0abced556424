using Microsoft.ML.OnnxRuntime;
using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Tests.Onnx;

/// <summary>
/// The hand-written protobuf must be a model ONNX Runtime loads and computes with, exactly as the graph
/// says: these graphs are tiny so the expected numbers can be worked out by hand.
/// </summary>
public sealed class OnnxModelWriterTests
{
    [Fact]
    public void MatMul_plus_Add_graph_loads_and_computes_the_expected_numbers()
    {
        using var dir = new TempDirectory();
        var graph = new OnnxGraph("affine")
            .AddInput("x", OnnxElementType.Float, OnnxDimension.Named("batch"), OnnxDimension.Fixed(3))
            .AddOutput("y", OnnxElementType.Float, OnnxDimension.Named("batch"), OnnxDimension.Fixed(2))
            .AddInitializer(OnnxTensor.FromFloats("w", [1f, 2f, 3f, 4f, 5f, 6f], 3, 2))
            .AddInitializer(OnnxTensor.FromFloats("b", [0.5f, -1f], 2))
            .AddNode("MatMul", ["x", "w"], "xw")
            .AddNode("Add", ["xw", "b"], "y");
        OnnxModelWriter.WriteFile(dir.File("affine.onnx"), graph);

        using var session = new InferenceSession(dir.File("affine.onnx"));
        Assert.Equal(["x"], session.InputMetadata.Keys);
        Assert.Equal(new[] { -1, 3 }, session.InputMetadata["x"].Dimensions);
        Assert.Equal("batch", session.InputMetadata["x"].SymbolicDimensions[0]);
        Assert.Equal(new[] { -1, 2 }, session.OutputMetadata["y"].Dimensions);

        var y = Run(session, "x", [1f, 0f, 2f, -1f, 1f, 0.5f], [2, 3], "y");
        // [1 0 2]·W = [1+10, 2+12] = [11, 14]; [-1 1 .5]·W = [-1+3+2.5, -2+4+3] = [4.5, 5]; plus b.
        Assert.Equal(new[] { 11.5f, 13f, 5f, 4f }, y);
    }

    [Fact]
    public void Int_ints_float_and_negative_attributes_are_encoded_as_onnx_reads_them()
    {
        using var dir = new TempDirectory();
        var graph = new OnnxGraph("attributes")
            .AddInput("x", OnnxElementType.Float, OnnxDimension.Fixed(2), OnnxDimension.Fixed(3))
            .AddOutput("y", OnnxElementType.Float, OnnxDimension.Fixed(3), OnnxDimension.Fixed(2))
            .AddNode("Transpose", ["x"], "t", OnnxAttribute.IntList("perm", 1, 0))          // INTS
            .AddNode("LeakyRelu", ["t"], "l", OnnxAttribute.Float("alpha", 0.5f))           // FLOAT
            .AddNode("Softmax", ["l"], "y", OnnxAttribute.Int("axis", -1));                 // INT, negative varint
        OnnxModelWriter.WriteFile(dir.File("attributes.onnx"), graph);

        using var session = new InferenceSession(dir.File("attributes.onnx"));
        var y = Run(session, "x", [0f, 1f, -2f, 2f, 1f, 2f], [2, 3], "y");

        // Transposed rows: [0, 2], [1, 1], [-2, 2]; LeakyRelu(0.5): [0, 2], [1, 1], [-1, 2]; softmax per row.
        float[][] rows = [[0f, 2f], [1f, 1f], [-1f, 2f]];
        var expected = rows.SelectMany(r =>
        {
            var e = r.Select(v => Math.Exp(v)).ToArray();
            return e.Select(v => (float)(v / e.Sum()));
        }).ToArray();
        Assert.Equal(expected.Length, y.Length);
        for (var i = 0; i < y.Length; i++)
            Assert.Equal(expected[i], y[i], 5);
    }

    [Fact]
    public void Int64_initializers_feed_axes_inputs_of_opset_13_operators()
    {
        using var dir = new TempDirectory();
        var graph = new OnnxGraph("reduce")
            .AddInput("x", OnnxElementType.Float, OnnxDimension.Fixed(2), OnnxDimension.Fixed(3))
            .AddOutput("y", OnnxElementType.Float, OnnxDimension.Fixed(2), OnnxDimension.Fixed(1))
            .AddInitializer(OnnxTensor.FromInt64s("axes", [-1], 1))
            .AddNode("ReduceSum", ["x", "axes"], "y", OnnxAttribute.Int("keepdims", 1));
        OnnxModelWriter.WriteFile(dir.File("reduce.onnx"), graph);

        using var session = new InferenceSession(dir.File("reduce.onnx"));
        Assert.Equal(new[] { 6f, 15f }, Run(session, "x", [1f, 2f, 3f, 4f, 5f, 6f], [2, 3], "y"));
    }

    private static float[] Run(InferenceSession session, string input, float[] data, long[] shape, string output)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var options = new RunOptions();
        using var outputs = session.Run(options, [input], [value], [output]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
