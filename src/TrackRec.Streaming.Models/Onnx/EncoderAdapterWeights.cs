namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// A residual linear adapter on top of a frozen sentence encoder: <c>y = normalise(x + W x + b)</c>, with W
/// [<see cref="Dimension"/> x <see cref="Dimension"/>] row-major. Zero weights leave the base encoder's
/// geometry as it is, so training starts from the pretrained model and moves only as far as the pairs ask.
/// </summary>
public sealed record EncoderAdapterWeights
{
    /// <summary>Width of the base vectors and of the adapted ones.</summary>
    public required int Dimension { get; init; }

    /// <summary>W, row-major: output i reads <c>Weight[i * Dimension .. (i + 1) * Dimension]</c>.</summary>
    public required float[] Weight { get; init; }

    /// <summary>b.</summary>
    public required float[] Bias { get; init; }

    /// <summary>The adapter that changes nothing (W = 0, b = 0).</summary>
    public static EncoderAdapterWeights Identity(int dimension) => new() { Dimension = dimension, Weight = new float[dimension * dimension], Bias = new float[dimension] };

    /// <summary>Throws when the arrays do not match <see cref="Dimension"/>.</summary>
    public void Validate()
    {
        if (Dimension < 1 || Weight is null || Bias is null || Weight.Length != Dimension * Dimension || Bias.Length != Dimension)
            throw new InvalidDataException($"adapter weights: dimension {Dimension} needs {Dimension * Dimension} weights and {Dimension} biases, got {Weight?.Length} and {Bias?.Length}");
    }

    /// <summary>The adapted, unit-length vector of <paramref name="x"/>.</summary>
    public float[] Apply(IReadOnlyList<float> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Count != Dimension)
            throw new ArgumentException($"the adapter takes {Dimension}-wide vectors, got {x.Count}", nameof(x));
        var y = new float[Dimension];
        double norm = 0;
        for (var i = 0; i < Dimension; i++)
        {
            double sum = x[i] + Bias[i];
            var row = i * Dimension;
            for (var j = 0; j < Dimension; j++)
                sum += Weight[row + j] * x[j];
            y[i] = (float)sum;
            norm += sum * sum;
        }
        var scale = (float)(1.0 / Math.Max(Math.Sqrt(norm), 1e-12));
        for (var i = 0; i < Dimension; i++)
            y[i] *= scale;
        return y;
    }
}
