using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Training.Mlp;

/// <summary>
/// Per-feature standardisation z = (x - Mean) / Scale. Our features mix scales (counts in the hundreds next
/// to rates in [0, 1]); Adam with one learning rate trains badly on them raw, so training sees z. Serving
/// never sees this type: <see cref="FoldInto"/> rewrites the first layer so the exported network takes x.
/// </summary>
public sealed record FeatureStandardisation
{
    /// <summary>Scales below this count as a constant feature and are replaced by 1 (z = x - mean, i.e. 0 on the fitted rows).</summary>
    public const double MinScale = 1e-12;

    /// <summary>Standardisation with the given means and scales (same length, scales positive and finite).</summary>
    public FeatureStandardisation(IReadOnlyList<double> mean, IReadOnlyList<double> scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Count != scale.Count)
            throw new ArgumentException($"{mean.Count} means but {scale.Count} scales", nameof(scale));
        for (var i = 0; i < scale.Count; i++)
        {
            if (!double.IsFinite(mean[i]))
                throw new ArgumentException($"mean {i} is not finite", nameof(mean));
            if (!double.IsFinite(scale[i]) || scale[i] <= 0)
                throw new ArgumentException($"scale {i} must be positive and finite, got {scale[i]}", nameof(scale));
        }
        Mean = [.. mean];
        Scale = [.. scale];
    }

    /// <summary>Per-feature means subtracted.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-feature divisors (standard deviations, 1 for constant features).</summary>
    public IReadOnlyList<double> Scale { get; }

    /// <summary>Number of features.</summary>
    public int Count => Mean.Count;

    /// <summary>
    /// Means and population standard deviations of <paramref name="features"/> over <paramref name="rows"/>
    /// (all rows when null), in double so large counts keep their precision.
    /// </summary>
    public static FeatureStandardisation Fit(IReadOnlyList<float[]> features, IReadOnlyList<int>? rows = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        var count = rows?.Count ?? features.Count;
        if (count == 0)
            throw new ArgumentException("cannot fit a standardisation on no rows", nameof(features));
        var width = features[rows is null ? 0 : rows[0]].Length;
        var sum = new double[width];
        for (var r = 0; r < count; r++)
        {
            var row = features[rows is null ? r : rows[r]];
            for (var i = 0; i < width; i++)
                sum[i] += row[i];
        }
        var mean = sum.Select(s => s / count).ToArray();
        // Two passes (deviations from the mean), not E[x^2] - E[x]^2, which cancels badly for large means.
        var squares = new double[width];
        for (var r = 0; r < count; r++)
        {
            var row = features[rows is null ? r : rows[r]];
            for (var i = 0; i < width; i++)
            {
                var d = row[i] - mean[i];
                squares[i] += d * d;
            }
        }
        var scale = squares.Select(s => Math.Sqrt(s / count)).Select(s => s < MinScale ? 1.0 : s).ToArray();
        return new FeatureStandardisation(mean, scale);
    }

    /// <summary>The standardised copy of one row.</summary>
    public float[] Apply(ReadOnlySpan<float> row)
    {
        if (row.Length != Count)
            throw new ArgumentException($"row has {row.Length} values, the standardisation {Count}", nameof(row));
        var z = new float[row.Length];
        for (var i = 0; i < z.Length; i++)
            z[i] = (float)((row[i] - Mean[i]) / Scale[i]);
        return z;
    }

    /// <summary>
    /// The network that computes on raw x what <paramref name="weights"/> computes on z: the first layer
    /// W z + b = W diag(1/s) x + (b - W diag(1/s) m), so W'[o, i] = W[o, i] / s[i] and
    /// b'[o] = b[o] - sum_i W[o, i] m[i] / s[i] (in double, rounded to float once). Later layers are unchanged.
    /// </summary>
    public MlpWeights FoldInto(MlpWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        weights.Validate();
        var first = weights.Layers[0];
        if (first.In != Count)
            throw new ArgumentException($"the network takes {first.In} inputs, the standardisation has {Count}", nameof(weights));
        var w = new float[first.Weight.Count];
        var b = new float[first.Out];
        for (var o = 0; o < first.Out; o++)
        {
            double bias = first.Bias[o];
            for (var i = 0; i < first.In; i++)
            {
                var folded = first.Weight[o * first.In + i] / Scale[i];
                w[o * first.In + i] = (float)folded;
                bias -= folded * Mean[i];
            }
            b[o] = (float)bias;
        }
        return weights with { Layers = [new MlpLayer(first.In, first.Out, w, b), .. weights.Layers.Skip(1)] };
    }
}
