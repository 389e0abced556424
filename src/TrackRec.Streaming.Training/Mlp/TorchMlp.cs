using TorchSharp;
using TorchSharp.Modules;
using TrackRec.Streaming.Models.Embedded;
using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Mlp;

/// <summary>
/// The TorchSharp twin of <see cref="Models.Embedded.Mlp"/>: Linear layers with ReLU between them and a
/// linear last layer, weights [out, in] as torch.nn.Linear keeps them, which is the row-major layout of
/// <see cref="MlpWeights"/>. Training happens here; serving evaluates the exported weights in plain C#,
/// so both sides must compute the same function. Float32, like the serving code.
/// </summary>
public sealed class TorchMlp : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;
    private readonly int[] sizes;

    private TorchMlp(IReadOnlyList<int> layerSizes, ulong seed) : base(nameof(TorchMlp))
    {
        sizes = [.. layerSizes];
        var modules = new List<nn.Module<Tensor, Tensor>>();
        for (var i = 0; i + 1 < sizes.Length; i++)
        {
            if (i > 0)
                modules.Add(nn.ReLU());
            modules.Add(nn.Linear(sizes[i], sizes[i + 1]));
        }
        layers = nn.Sequential(modules);
        // A private generator, not libtorch's global one (torch.manual_seed): other trainings in the same
        // process (parallel tests, the other bootstrap roles) cannot shift this initialisation.
        using (var generator = new Generator(seed))
        using (no_grad())
        {
            foreach (var linear in Linears())
            {
                // torch's nn.Linear default, U(-1/sqrt(in), 1/sqrt(in)) for weight and bias, drawn from our
                // generator (TorchSharp 0.107's nn.init ignores a generator argument; tensor methods do not).
                var bound = 1.0 / Math.Sqrt(linear.in_features);
                linear.weight!.uniform_(-bound, bound, generator);
                linear.bias!.uniform_(-bound, bound, generator);
            }
        }
        RegisterComponents();
    }

    /// <summary>Widths from input to output: [in, hidden..., out].</summary>
    public IReadOnlyList<int> LayerSizes => sizes;

    /// <summary>Width of the input vector.</summary>
    public int InputSize => sizes[0];

    /// <summary>Width of the output vector.</summary>
    public int OutputSize => sizes[^1];

    /// <summary>
    /// A freshly initialised network with widths <paramref name="layerSizes"/> ([in, hidden..., out], at
    /// least two entries); the same seed gives the same weights.
    /// </summary>
    public static TorchMlp Create(IReadOnlyList<int> layerSizes, int seed)
    {
        ArgumentNullException.ThrowIfNull(layerSizes);
        if (layerSizes.Count < 2)
            throw new ArgumentException($"an MLP needs an input and an output width, got {layerSizes.Count} sizes", nameof(layerSizes));
        for (var i = 0; i < layerSizes.Count; i++)
            if (layerSizes[i] < 1)
                throw new ArgumentException($"layer width {i} must be positive, got {layerSizes[i]}", nameof(layerSizes));
        return new TorchMlp(layerSizes, unchecked((ulong)seed));
    }

    /// <summary>A network holding exactly <paramref name="weights"/> (validated first).</summary>
    public static TorchMlp FromWeights(MlpWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate();
        var sizes = new List<int> { weights.InputSize };
        sizes.AddRange(weights.Layers.Select(l => l.Out));
        var network = new TorchMlp(sizes, seed: 0);
        using (no_grad())
        {
            var linears = network.Linears();
            for (var i = 0; i < linears.Count; i++)
            {
                var layer = weights.Layers[i];
                using var w = tensor(layer.Weight.ToArray(), [layer.Out, layer.In]);
                using var b = tensor(layer.Bias.ToArray(), [layer.Out]);
                linears[i].weight!.copy_(w);
                linears[i].bias!.copy_(b);
            }
        }
        return network;
    }

    /// <summary>Outputs [batch, out] for inputs [batch, in] (or [out] for one input [in]).</summary>
    public override Tensor forward(Tensor input) => layers.forward(input);

    /// <summary>The parameters as <see cref="MlpWeights"/>, ready for <see cref="Models.Embedded.Mlp"/>.</summary>
    public MlpWeights ToWeights() => ToWeights(null);

    /// <summary>
    /// The parameters as <see cref="MlpWeights"/>. When the network was trained on standardised inputs, pass
    /// that <paramref name="standardisation"/>: it is folded into the first layer so the exported network takes
    /// raw features and serving needs no separate scaler.
    /// </summary>
    public MlpWeights ToWeights(FeatureStandardisation? standardisation)
    {
        var exported = new List<MlpLayer>();
        foreach (var linear in Linears())
        {
            // A scope holds the intermediate tensors: left to their finalizers, one could be freed mid-call.
            using var scope = NewDisposeScope();
            var w = linear.weight!.detach().to_type(ScalarType.Float32).contiguous();
            var b = linear.bias!.detach().to_type(ScalarType.Float32).contiguous();
            exported.Add(new MlpLayer((int)linear.in_features, (int)linear.out_features, w.data<float>().ToArray(), b.data<float>().ToArray()));
        }
        var weights = new MlpWeights { Layers = exported };
        return standardisation is null ? weights : standardisation.FoldInto(weights);
    }

    /// <summary>The Linear layers, input first.</summary>
    internal List<Linear> Linears() => layers.children().OfType<Linear>().ToList();
}
