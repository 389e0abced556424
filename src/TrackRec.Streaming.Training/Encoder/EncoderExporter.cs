using System.Text;
using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// Writes a trained encoder as ONNX plus vocab.txt, the same pair of files a user-supplied sentence encoder
/// comes as, so serving loads both through <see cref="OnnxTextEncoder"/>. TorchSharp has no ONNX exporter:
/// the graph is spelled out node by node to match <see cref="EncoderNetwork.forward"/>.
/// Inputs input_ids and attention_mask, int64 [batch, sequence]; output sentence_embedding, float [batch, dimension].
/// </summary>
public static class EncoderExporter
{
    /// <summary>Name of the graph's output: already pooled and normalised.</summary>
    public const string OutputName = "sentence_embedding";

    /// <summary>Writes model.onnx and vocab.txt into <paramref name="directory"/>.</summary>
    public static void Export(string directory, EncoderWeights weights)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(weights);
        Directory.CreateDirectory(directory);
        OnnxModelWriter.WriteFile(Path.Combine(directory, OnnxTextEncoder.ModelFile), BuildGraph(weights));
        File.WriteAllText(Path.Combine(directory, OnnxTextEncoder.VocabFile), string.Join('\n', weights.Vocabulary) + "\n", new UTF8Encoding(false));
    }

    /// <summary>The encoder as an ONNX graph (opset 17).</summary>
    public static OnnxGraph BuildGraph(EncoderWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var batch = OnnxDimension.Named("batch");
        var sequence = OnnxDimension.Named("sequence");
        const long toFloat = (long)OnnxElementType.Float;
        return new OnnxGraph("trackrec_encoder")
            .AddInput("input_ids", OnnxElementType.Int64, batch, sequence)
            .AddInput("attention_mask", OnnxElementType.Int64, batch, sequence)
            .AddOutput(OutputName, OnnxElementType.Float, batch, OnnxDimension.Fixed(weights.Dimension))
            .AddInitializer(OnnxTensor.FromFloats("token_embedding", weights.Embedding, weights.Vocabulary.Count, weights.EmbeddingDimension))
            .AddInitializer(OnnxTensor.FromFloats("projection_weight", weights.Projection, weights.EmbeddingDimension, weights.Dimension))
            .AddInitializer(OnnxTensor.FromFloats("projection_bias", weights.Bias, weights.Dimension))
            .AddInitializer(OnnxTensor.FromInt64s("axis_last", [-1], 1))
            .AddInitializer(OnnxTensor.FromInt64s("axis_sequence", [1], 1))
            .AddInitializer(OnnxTensor.FromFloats("count_floor", [EncoderNetwork.CountFloor]))
            .AddInitializer(OnnxTensor.FromFloats("squared_norm_floor", [EncoderNetwork.SquaredNormFloor]))
            .AddNode("Gather", ["token_embedding", "input_ids"], "embedded", OnnxAttribute.Int("axis", 0))   // [B, S, D]
            .AddNode("Cast", ["attention_mask"], "mask_float", OnnxAttribute.Int("to", toFloat))            // [B, S]
            .AddNode("Unsqueeze", ["mask_float", "axis_last"], "mask_weights")                               // [B, S, 1]
            .AddNode("Mul", ["embedded", "mask_weights"], "masked")
            .AddNode("ReduceSum", ["masked", "axis_sequence"], "summed", OnnxAttribute.Int("keepdims", 0))   // [B, D]
            .AddNode("ReduceSum", ["mask_weights", "axis_sequence"], "token_count", OnnxAttribute.Int("keepdims", 0)) // [B, 1]
            .AddNode("Max", ["token_count", "count_floor"], "token_count_floored")
            .AddNode("Div", ["summed", "token_count_floored"], "mean")
            .AddNode("MatMul", ["mean", "projection_weight"], "projected_raw")                               // [B, E]
            .AddNode("Add", ["projected_raw", "projection_bias"], "projected")
            .AddNode("Mul", ["projected", "projected"], "squared")
            .AddNode("ReduceSum", ["squared", "axis_last"], "squared_norm", OnnxAttribute.Int("keepdims", 1)) // [B, 1]
            .AddNode("Max", ["squared_norm", "squared_norm_floor"], "squared_norm_floored")
            .AddNode("Sqrt", ["squared_norm_floored"], "norm")
            .AddNode("Div", ["projected", "norm"], OutputName);
    }
}
