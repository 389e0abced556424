using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Ctr;

/// <summary>
/// KAR's hybrid-expert adaptor, as TrackRec feeds chain features to a CTR backbone: every input vector (the
/// chain embedding, the prompt embedding, the validator's score) goes through a softmax-gated mixture of
/// shared experts (one set for all vectors) and its own experts, each a small MLP d -> hidden -> out; the
/// mixtures' outputs are concatenated into the backbone's input. Shared experts read the vector zero-padded
/// to the widest input, so vectors of different widths (a 1-d score next to 32-d embeddings) can share them.
/// A missing chain is a zero vector, as in the paper.
/// </summary>
public sealed class HybridExpertAdapter : nn.Module<IReadOnlyList<Tensor>, Tensor>
{
    private readonly int[] _dims;
    private readonly int _widest;
    private readonly ModuleList<Sequential> _shared;
    private readonly ModuleList<ModuleList<Sequential>> _own;
    private readonly ModuleList<Linear> _gates;

    /// <summary>An adapter for vectors of widths <paramref name="inputDims"/>.</summary>
    public HybridExpertAdapter(IReadOnlyList<int> inputDims, int sharedExperts, int expertsPerVector, int hidden, int output) : base(nameof(HybridExpertAdapter))
    {
        ArgumentNullException.ThrowIfNull(inputDims);
        if (inputDims.Count == 0 || inputDims.Any(d => d < 1))
            throw new ArgumentException("the adapter needs at least one input vector of positive width", nameof(inputDims));
        if (sharedExperts < 0 || expertsPerVector < 0 || sharedExperts + expertsPerVector == 0)
            throw new ArgumentException("the adapter needs at least one expert");
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(output, 1);
        _dims = [.. inputDims];
        _widest = _dims.Max();
        OutputSize = output * _dims.Length;
        ExpertOutput = output;
        _shared = nn.ModuleList(Enumerable.Range(0, sharedExperts).Select(_ => Expert(_widest, hidden, output)).ToArray());
        _own = nn.ModuleList(_dims.Select(d => nn.ModuleList(Enumerable.Range(0, expertsPerVector).Select(_ => Expert(d, hidden, output)).ToArray())).ToArray());
        _gates = nn.ModuleList(_dims.Select(d => nn.Linear(d, sharedExperts + expertsPerVector)).ToArray());
        RegisterComponents();
    }

    /// <summary>Width of the concatenated output (experts' output width times the number of vectors).</summary>
    public int OutputSize { get; }

    /// <summary>Output width of one expert (and of one vector's mixture).</summary>
    public int ExpertOutput { get; }

    /// <summary>Widths of the input vectors, in order.</summary>
    public IReadOnlyList<int> InputDims => _dims;

    /// <summary>[batch, OutputSize] for one [batch, d_k] tensor per input vector.</summary>
    public override Tensor forward(IReadOnlyList<Tensor> inputs)
    {
        CheckInputs(inputs);
        var outputs = new Tensor[_dims.Length];
        for (var k = 0; k < _dims.Length; k++)
        {
            var x = inputs[k];
            var padded = _dims[k] == _widest ? x : nn.functional.pad(x, [0, _widest - _dims[k]]);
            var experts = _shared.Select(e => e.forward(padded)).Concat(_own[k].Select(e => e.forward(x))).ToArray();
            var stacked = stack(experts, dim: 1); // [batch, experts, out]
            var gate = nn.functional.softmax(_gates[k].forward(x), dim: -1).unsqueeze(-1); // [batch, experts, 1]
            outputs[k] = (stacked * gate).sum(dim: 1);
        }
        return cat(outputs, dim: 1);
    }

    /// <summary>The gate weights [batch, experts] of input vector <paramref name="vector"/> (each row sums to 1).</summary>
    public Tensor Gate(IReadOnlyList<Tensor> inputs, int vector)
    {
        CheckInputs(inputs);
        return nn.functional.softmax(_gates[vector].forward(inputs[vector]), dim: -1);
    }

    private void CheckInputs(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != _dims.Length)
            throw new ArgumentException($"the adapter takes {_dims.Length} vectors, got {inputs.Count}", nameof(inputs));
        for (var k = 0; k < _dims.Length; k++)
            if (inputs[k].shape[^1] != _dims[k])
                throw new ArgumentException($"vector {k} has width {inputs[k].shape[^1]}, the adapter expects {_dims[k]}", nameof(inputs));
    }

    private static Sequential Expert(int input, int hidden, int output) =>
        nn.Sequential(nn.Linear(input, hidden), nn.ReLU(), nn.Linear(hidden, output));
}
