using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Training.Encoder;

namespace TrackRec.Streaming.Tests.Encoder;

/// <summary>
/// The exported ONNX model, served through the same path as a user-supplied encoder, must give the vectors
/// TorchSharp computes with the trained weights: otherwise the CTR model would be fed vectors from a
/// different function than the one trained.
/// </summary>
public sealed class EncoderRoundTripTests
{
    private static readonly string[] Texts =
    [
        "likes drama and romance",
        "Titanic. Drama, Romance",
        "",
        "UPPER case Words, with punctuation!!",
        "an unseen xylophone appears",
        "café crème über naïve",
        string.Join(' ', Enumerable.Repeat("user likes drama", 80)), // cut at max_seq_len
    ];

    [Fact]
    public void Onnx_runtime_reproduces_the_torchsharp_vectors()
    {
        using var dir = new ScratchDirectory();
        var store = new ModelStore(dir.Path);
        var pairs = SyntheticPairs.Make(600, seed: 5)
            .Concat(Enumerable.Repeat(("likes drama and romance", "Titanic. Drama, Romance"), 20))
            .ToList();
        var result = ContrastiveEncoderTrainer.Train(pairs, new EncoderTrainingOptions { Epochs = 2, Seed = 5 });
        var card = EncoderTraining.Publish(store, result, new TrainingDataRange("synthetic", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, pairs.Count, pairs.Count));

        var torch = ContrastiveEncoderTrainer.Embed(result.Weights, Texts);
        using var onnx = OnnxTextEncoder.FromModelStore(store, card);
        var served = onnx.Encode(Texts, TestContext.Current.CancellationToken);

        Assert.Equal(result.Weights.Dimension, onnx.Dimension);
        Assert.Equal(EncoderExporter.OutputName, onnx.OutputName);
        Assert.Equal(Texts.Length, served.Count);
        var maxDiff = 0.0;
        for (var t = 0; t < Texts.Length; t++)
        {
            Assert.Equal(torch[t].Length, served[t].Length);
            Assert.Equal(1.0, Math.Sqrt(torch[t].Sum(v => (double)v * v)), 4);
            for (var i = 0; i < torch[t].Length; i++)
                maxDiff = Math.Max(maxDiff, Math.Abs(torch[t][i] - served[t][i]));
        }
        Assert.True(maxDiff < 1e-4, $"max abs difference {maxDiff}");
        // Not vacuous: different texts get different vectors.
        Assert.True(torch[0].Zip(torch[4]).Max(p => Math.Abs(p.First - p.Second)) > 1e-2);
    }

    [Fact]
    public void Exported_graph_declares_the_bert_style_inputs_and_a_pooled_output()
    {
        var weights = new EncoderWeights
        {
            Vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
            EmbeddingDimension = 2,
            Dimension = 3,
            Embedding = new float[10],
            Projection = new float[6],
            Bias = new float[3],
            MaxSequenceLength = 8,
        };
        var graph = EncoderExporter.BuildGraph(weights);
        Assert.Equal(["input_ids", "attention_mask"], graph.Inputs.Select(i => i.Name));
        Assert.All(graph.Inputs, i => Assert.Equal(OnnxElementType.Int64, i.ElementType));
        Assert.Equal("sentence_embedding", Assert.Single(graph.Outputs).Name);
        Assert.Equal(3, graph.Outputs[0].Shape[1].Value);
    }
}
