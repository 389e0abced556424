using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Tests.Onnx;

/// <summary>
/// A hand-made "encoder" small enough to check by hand: a vocab.txt of a few words and a token table whose
/// rows are known, exported either as a BERT-like model (3-D last_hidden_state, token_type_ids input) or as
/// an already pooled one. The expected vectors are computed here from the vocabulary list, not from the
/// tokenizer under test.
/// </summary>
internal static class TinyEncoderModel
{
    public const int Hidden = 4;

    public static IReadOnlyList<string> Vocabulary { get; } =
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "likes", "drama", "romance", "comedy", "horror", "and", "the", ",", "."];

    /// <summary>Row <paramref name="id"/> of the token table.</summary>
    public static float[] Row(int id) => Enumerable.Range(0, Hidden).Select(h => (float)(Math.Sin((id + 1) * (h + 1)) + 0.1 * h)).ToArray();

    /// <summary>The unit-length mean of the rows of [CLS], the words, [SEP].</summary>
    public static float[] ExpectedVector(params string[] words)
    {
        var ids = new[] { "[CLS]" }.Concat(words).Append("[SEP]").Select(w => Vocabulary.ToList().IndexOf(w)).ToList();
        Assert.DoesNotContain(-1, ids);
        var mean = new double[Hidden];
        foreach (var id in ids)
            for (var h = 0; h < Hidden; h++)
                mean[h] += Row(id)[h] / ids.Count;
        var norm = Math.Sqrt(mean.Sum(v => v * v));
        return mean.Select(v => (float)(v / norm)).ToArray();
    }

    public static void WriteVocabulary(string path) => File.WriteAllLines(path, Vocabulary);

    /// <summary>
    /// A BERT-shaped model: last_hidden_state [batch, seq, 4] = table[input_ids] + 1000 * token_type_ids
    /// + 0 * attention_mask, so feeding anything but zero token types shows in the output.
    /// </summary>
    public static void WriteHiddenStateModel(string path)
    {
        var batch = OnnxDimension.Named("batch");
        var sequence = OnnxDimension.Named("sequence");
        var graph = new OnnxGraph("tiny_bert")
            .AddInput("input_ids", OnnxElementType.Int64, batch, sequence)
            .AddInput("attention_mask", OnnxElementType.Int64, batch, sequence)
            .AddInput("token_type_ids", OnnxElementType.Int64, batch, sequence)
            .AddOutput("last_hidden_state", OnnxElementType.Float, batch, sequence, OnnxDimension.Fixed(Hidden))
            .AddInitializer(Table())
            .AddInitializer(OnnxTensor.FromInt64s("axis_last", [-1], 1))
            .AddInitializer(OnnxTensor.FromFloats("thousand", [1000f]))
            .AddInitializer(OnnxTensor.FromFloats("zero", [0f]))
            .AddNode("Gather", ["table", "input_ids"], "rows")
            .AddNode("Cast", ["token_type_ids"], "types", OnnxAttribute.Int("to", (long)OnnxElementType.Float))
            .AddNode("Unsqueeze", ["types", "axis_last"], "types3")
            .AddNode("Mul", ["types3", "thousand"], "type_offset")
            .AddNode("Cast", ["attention_mask"], "mask", OnnxAttribute.Int("to", (long)OnnxElementType.Float))
            .AddNode("Unsqueeze", ["mask", "axis_last"], "mask3")
            .AddNode("Mul", ["mask3", "zero"], "mask_offset")
            .AddNode("Add", ["rows", "type_offset"], "shifted")
            .AddNode("Add", ["shifted", "mask_offset"], "last_hidden_state");
        OnnxModelWriter.WriteFile(path, graph);
    }

    /// <summary>
    /// An already pooled model with only an input_ids input and an unnamed width: pooled = sum of the rows
    /// (not normalised; same direction as the mean for one text).
    /// </summary>
    public static void WritePooledModel(string path)
    {
        var graph = new OnnxGraph("tiny_pooled")
            .AddInput("input_ids", OnnxElementType.Int64, OnnxDimension.Named("batch"), OnnxDimension.Named("sequence"))
            .AddOutput("pooled", OnnxElementType.Float, OnnxDimension.Named("batch"), OnnxDimension.Named("width"))
            .AddInitializer(Table())
            .AddInitializer(OnnxTensor.FromInt64s("axis_sequence", [1], 1))
            .AddNode("Gather", ["table", "input_ids"], "rows")
            .AddNode("ReduceSum", ["rows", "axis_sequence"], "pooled", OnnxAttribute.Int("keepdims", 0));
        OnnxModelWriter.WriteFile(path, graph);
    }

    private static OnnxTensor Table() =>
        OnnxTensor.FromFloats("table", Enumerable.Range(0, Vocabulary.Count).SelectMany(Row).ToArray(), Vocabulary.Count, Hidden);
}
