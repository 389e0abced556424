using TorchSharp;
using TorchSharp.Modules;
using TrackRec.Streaming.Models.Onnx;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// The encoder as a TorchSharp module: token table, mean over the attention mask, linear projection, L2
/// normalisation. Each step is written as the ONNX graph of <see cref="EncoderExporter"/> computes it (the
/// same epsilons, the same order), so ONNX Runtime reproduces its vectors to float rounding.
/// </summary>
internal sealed class EncoderNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Floor of the token count, so an all-padding row divides by something (ONNX: Max).</summary>
    internal const float CountFloor = 1e-6f;

    /// <summary>Floor of the squared norm before the square root (ONNX: Max, Sqrt).</summary>
    internal const float SquaredNormFloor = 1e-12f;

    private static readonly TorchSharp.Scalar CountFloorScalar = CountFloor.ToScalar();
    private static readonly TorchSharp.Scalar SquaredNormFloorScalar = SquaredNormFloor.ToScalar();

    private readonly Embedding tokens;
    private readonly Linear projection;

    /// <summary>
    /// A network initialised from <paramref name="seed"/> with its own generator, not libtorch's global one:
    /// other trainings in the same process (parallel tests, the other bootstrap roles) cannot shift it.
    /// </summary>
    public EncoderNetwork(int vocabulary, int embeddingDimension, int dimension, long seed) : base(nameof(EncoderNetwork))
    {
        tokens = nn.Embedding(vocabulary, embeddingDimension);
        projection = nn.Linear(embeddingDimension, dimension);
        using (var generator = new Generator(unchecked((ulong)seed)))
        using (no_grad())
        {
            // Small token vectors (torch's N(0, 1) makes the first projections huge next to Adam's steps);
            // the projection as torch's Linear default, U(-1/sqrt(in), 1/sqrt(in)).
            var bound = 1.0 / Math.Sqrt(embeddingDimension);
            // Tensor methods, not nn.init: TorchSharp 0.107's nn.init.normal_ ignores its generator argument.
            // Embedding.weight makes a new wrapper at every read: disposed here, not by a finalizer.
            using (var tokenWeight = tokens.weight!)
                tokenWeight.normal_(0, 0.1, generator);
            projection.weight!.uniform_(-bound, bound, generator);
            projection.bias!.uniform_(-bound, bound, generator);
        }
        RegisterComponents();
    }

    /// <summary>A network holding <paramref name="weights"/>.</summary>
    public static EncoderNetwork From(EncoderWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var network = new EncoderNetwork(weights.Vocabulary.Count, weights.EmbeddingDimension, weights.Dimension, seed: 0);
        using (no_grad())
        {
            using var table = tensor(weights.Embedding, [weights.Vocabulary.Count, weights.EmbeddingDimension]);
            using var projectionT = tensor(weights.Projection, [weights.EmbeddingDimension, weights.Dimension]);
            using var bias = tensor(weights.Bias, [weights.Dimension]);
            using (var tokenWeight = network.tokens.weight!)
                tokenWeight.copy_(table);
            using var transposed = projectionT.t();
            network.projection.weight!.copy_(transposed);
            network.projection.bias!.copy_(bias);
        }
        return network;
    }

    /// <summary>Unit-length vectors [batch, dimension] for token ids and mask [batch, seq] (int64).</summary>
    public override Tensor forward(Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var embedded = tokens.forward(ids);                                   // Gather
        var weights = mask.to_type(ScalarType.Float32).unsqueeze(-1);         // Cast, Unsqueeze
        var summed = (embedded * weights).sum(1);                             // Mul, ReduceSum(axis 1)
        var count = weights.sum(1).clamp_min(CountFloorScalar);               // ReduceSum(axis 1), Max
        var projected = projection.forward(summed / count);                   // Div, MatMul, Add
        var norm = (projected * projected).sum(-1, keepdim: true).clamp_min(SquaredNormFloorScalar).sqrt(); // Mul, ReduceSum, Max, Sqrt
        return (projected / norm).MoveToOuterDisposeScope();                  // Div
    }

    /// <summary>Unit-length vectors for a tokenized batch.</summary>
    public Tensor Encode(TokenizedBatch batch)
    {
        using var ids = tensor(batch.Ids, [batch.Rows, batch.Columns]);
        using var mask = tensor(batch.Mask, [batch.Rows, batch.Columns]);
        return forward(ids, mask);
    }

    /// <summary>The weights as plain arrays, for export.</summary>
    public EncoderWeights Weights(IReadOnlyList<string> vocabulary, int maxSequenceLength, bool lowerCase)
    {
        using var scope = NewDisposeScope();
        return new EncoderWeights
        {
            Vocabulary = vocabulary,
            EmbeddingDimension = (int)tokens.weight!.shape[1],
            Dimension = (int)projection.weight!.shape[0],
            Embedding = tokens.weight!.detach().contiguous().data<float>().ToArray(),
            Projection = projection.weight!.detach().t().contiguous().data<float>().ToArray(),
            Bias = projection.bias!.detach().contiguous().data<float>().ToArray(),
            MaxSequenceLength = maxSequenceLength,
            LowerCase = lowerCase,
        };
    }
}
