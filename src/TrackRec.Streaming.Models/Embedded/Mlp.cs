namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// Evaluates <see cref="MlpWeights"/> in plain C#. The embedded policy and validator are a few thousand
/// parameters; a managed loop is faster than a call into a tensor runtime at that size and keeps the
/// worker free of libtorch. Thread-safe: no state beyond the weights.
/// </summary>
public sealed class Mlp
{
    private readonly float[][] _weights;
    private readonly float[][] _biases;
    private readonly int[] _in;
    private readonly int[] _out;

    /// <summary>Prepares the network for evaluation.</summary>
    public Mlp(MlpWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate();
        Weights = weights;
        _weights = weights.Layers.Select(l => l.Weight.ToArray()).ToArray();
        _biases = weights.Layers.Select(l => l.Bias.ToArray()).ToArray();
        _in = weights.Layers.Select(l => l.In).ToArray();
        _out = weights.Layers.Select(l => l.Out).ToArray();
    }

    /// <summary>The parameters evaluated.</summary>
    public MlpWeights Weights { get; }

    /// <summary>Width of the input vector.</summary>
    public int InputSize => _in[0];

    /// <summary>Width of the output vector.</summary>
    public int OutputSize => _out[^1];

    /// <summary>Evaluates the network on one input vector.</summary>
    public float[] Forward(ReadOnlySpan<float> input)
    {
        if (input.Length != _in[0])
            throw new ArgumentException($"input has {input.Length} values, the network takes {_in[0]}", nameof(input));
        var x = input.ToArray();
        for (var layer = 0; layer < _weights.Length; layer++)
        {
            var w = _weights[layer];
            var b = _biases[layer];
            int n = _in[layer], m = _out[layer];
            var y = new float[m];
            for (var o = 0; o < m; o++)
            {
                var sum = b[o];
                var row = o * n;
                for (var i = 0; i < n; i++)
                    sum += w[row + i] * x[i];
                y[o] = layer < _weights.Length - 1 ? MathF.Max(sum, 0f) : sum;
            }
            x = y;
        }
        return x;
    }

    /// <summary>The single output of a one-output network (a logit).</summary>
    public float Score(ReadOnlySpan<float> input) => Forward(input)[0];
}
