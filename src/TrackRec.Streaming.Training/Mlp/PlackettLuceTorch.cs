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
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(ordering);
        if (!double.IsFinite(temperature) || temperature <= 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "the temperature must be positive");
        if (scores.dim() == 2 && scores.shape[1] == 1)
            scores = scores.squeeze(1);
        if (scores.dim() != 1)
            throw new ArgumentException($"scores must be [n] (or [n, 1]), got [{string.Join(", ", scores.shape)}]", nameof(scores));
        var n = (int)scores.shape[0];
        var k = ordering.Count;

        // closed[j, i]: candidate i cannot be drawn at pick j (excluded, or picked before j).
        var closed = new bool[k * n];
        var open = new bool[n];
        for (var i = 0; i < n; i++)
            open[i] = excluded is null || !excluded.Contains(i);
        var picks = new long[k];
        for (var j = 0; j < k; j++)
        {
            var pick = ordering[j];
            if ((uint)pick >= (uint)n || !open[pick])
                throw new ArgumentException($"index {pick} is not an open candidate", nameof(ordering));
            for (var i = 0; i < n; i++)
                closed[j * n + i] = !open[i];
            picks[j] = pick;
            open[pick] = false;
        }
        if (k == 0)
            return zeros([], dtype: scores.dtype, device: scores.device);

        using var scope = NewDisposeScope();
        var scaled = scores / temperature;
        var mask = tensor(closed, [k, n]).to(scores.device);
        // Every row keeps its own pick open, so no logsumexp is over -inf only (no NaN values or gradients).
        var normalisers = scaled.unsqueeze(0).expand(k, n).masked_fill(mask, double.NegativeInfinity).logsumexp(1);
        var chosen = scaled.index_select(0, tensor(picks).to(scores.device));
        return (chosen - normalisers).sum().MoveToOuterDisposeScope();
    }
}
