using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Mlp;

/// <summary>
/// The log-probability of an ordered pick under Plackett-Luce with a temperature, as a differentiable torch
/// expression: the same number as <see cref="Models.Embedded.PlackettLuce.LogProbability"/> computes when
/// serving, but with a gradient back to the scores and through them to the policy network, which DPO needs.
/// </summary>
public static class PlackettLuceTorch
{
    /// <summary>
    /// log P(<paramref name="ordering"/>) = sum_j [ s(i_j)/t - logsumexp over the candidates still open at pick j of s/t ],
    /// the open candidates being all indices of <paramref name="scores"/> outside <paramref name="excluded"/> and
    /// the earlier picks. <paramref name="scores"/> is [n] logits (an [n, 1] network output is accepted); the
    /// result is a scalar of the scores' dtype (use float64 to match the C# value to ~1e-15). All picks are
    /// evaluated in one [k, n] masked logsumexp rather than k small ops. An empty ordering has probability 1:
    /// a constant 0 with no gradient.
    /// </summary>
    /// <exception cref="ArgumentException">An index is out of range, excluded, or repeated; scores are not one-dimensional.</exception>
    public static Tensor LogProbability(Tensor scores, IReadOnlyList<int> ordering, double temperature, IReadOnlySet<int>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(ordering);
        using var scope = NewDisposeScope();
        return LogProbabilities(scores, [ordering], temperature, excluded)[0].MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="LogProbability"/> of each of <paramref name="orderings"/> under the same scores, as an [m] tensor:
    /// every pick of every ordering in one [picks, n] masked logsumexp, summed per ordering. A preference record's
    /// chosen and rejected chains share their candidates, so the policy network runs once for all of them.
    /// </summary>
    public static Tensor LogProbabilities(Tensor scores, IReadOnlyList<IReadOnlyList<int>> orderings, double temperature, IReadOnlySet<int>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(orderings);
        if (!double.IsFinite(temperature) || temperature <= 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be positive");
        if (scores.dim() == 2 && scores.shape[1] == 1)
            scores = scores.squeeze(1);
        if (scores.dim() != 1)
            throw new ArgumentException($"scores must be [n] (or [n, 1]), got [{string.Join(", ", scores.shape)}]", nameof(scores));
        var n = (int)scores.shape[0];
        var total = orderings.Sum(o => o.Count);

        // closed[row, i]: candidate i cannot be drawn at that pick (excluded, or picked before it in its ordering).
        var closed = new bool[total * n];
        var picks = new long[total];
        var owner = new long[total];
        var row = 0;
        for (var m = 0; m < orderings.Count; m++)
        {
            var open = new bool[n];
            for (var i = 0; i < n; i++)
                open[i] = excluded is null || !excluded.Contains(i);
            foreach (var pick in orderings[m])
            {
                if ((uint)pick >= (uint)n || !open[pick])
                    throw new ArgumentException($"index {pick} is not an open candidate", nameof(orderings));
                for (var i = 0; i < n; i++)
                    closed[row * n + i] = !open[i];
                picks[row] = pick;
                owner[row] = m;
                open[pick] = false;
                row++;
            }
        }
        if (total == 0)
            return zeros([orderings.Count], dtype: scores.dtype, device: scores.device); // empty orderings have probability 1: constant 0s with no gradient

        using var scope = NewDisposeScope();
        var result = zeros([orderings.Count], dtype: scores.dtype, device: scores.device);
        using var temperatureScalar = TorchScalars.Of(temperature);
        var scaled = scores.div(temperatureScalar);
        var mask = tensor(closed, [total, n]).to(scores.device);
        // Every row keeps its own pick open, so no logsumexp is over -inf only (no NaN values or gradients).
        var normalisers = scaled.unsqueeze(0).expand(total, n).masked_fill(mask, TorchScalars.NegativeInfinity).logsumexp(1);
        var chosen = scaled.index_select(0, tensor(picks).to(scores.device));
        return result.index_add(0, tensor(owner).to(scores.device), chosen - normalisers, TorchScalars.One).MoveToOuterDisposeScope();
    }
}
