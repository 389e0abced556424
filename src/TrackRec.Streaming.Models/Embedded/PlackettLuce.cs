namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// Sampling without replacement under the Plackett-Luce model, with a temperature: the first pick is
/// softmax(s / t) over all candidates, each next pick softmax over the ones left. The probability of an
/// ordered pick (i1..ik) is the product of those softmaxes, so its log-probability is exact and cheap,
/// which is what DPO needs from the policy.
/// </summary>
public static class PlackettLuce
{
    /// <summary>Samples <paramref name="count"/> distinct indices (fewer if there are fewer candidates), in pick order.</summary>
    public static int[] Sample(ReadOnlySpan<double> scores, int count, double temperature, Random random, IReadOnlySet<int>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        var open = new List<int>(scores.Length);
        for (var i = 0; i < scores.Length; i++)
            if (excluded is null || !excluded.Contains(i))
                open.Add(i);
        var picks = new List<int>(Math.Min(count, open.Count));
        var weights = new double[open.Count];
        while (picks.Count < count && open.Count > 0)
        {
            var max = double.NegativeInfinity;
            foreach (var i in open)
                max = Math.Max(max, scores[i] / temperature);
            double total = 0;
            for (var j = 0; j < open.Count; j++)
                total += weights[j] = Math.Exp(scores[open[j]] / temperature - max);
            var u = random.NextDouble() * total;
            // Rounding can leave u just above zero after the last weight: fall back to the last candidate that
            // has a weight, never to one whose probability underflowed to zero.
            var chosen = open.Count - 1;
            while (chosen > 0 && weights[chosen] <= 0)
                chosen--;
            for (var j = 0; j < open.Count; j++)
            {
                u -= weights[j];
                if (u < 0)
                {
                    chosen = j;
                    break;
                }
            }
            picks.Add(open[chosen]);
            open.RemoveAt(chosen);
        }
        return [.. picks];
    }

    /// <summary>
    /// log P(ordering) for an ordered pick of distinct indices among <paramref name="scores"/>, optionally
    /// drawn from the candidates not in <paramref name="excluded"/>.
    /// </summary>
    public static double LogProbability(ReadOnlySpan<double> scores, IReadOnlyList<int> ordering, double temperature, IReadOnlySet<int>? excluded = null)
    {
        ArgumentNullException.ThrowIfNull(ordering);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        var open = new bool[scores.Length];
        for (var i = 0; i < scores.Length; i++)
            open[i] = excluded is null || !excluded.Contains(i);
        double logp = 0;
        foreach (var pick in ordering)
        {
            if ((uint)pick >= (uint)scores.Length || !open[pick])
                throw new ArgumentException($"index {pick} is not an open candidate", nameof(ordering));
            var max = double.NegativeInfinity;
            for (var i = 0; i < scores.Length; i++)
                if (open[i])
                    max = Math.Max(max, scores[i] / temperature);
            double total = 0;
            for (var i = 0; i < scores.Length; i++)
                if (open[i])
                    total += Math.Exp(scores[i] / temperature - max);
            logp += scores[pick] / temperature - max - Math.Log(total);
            open[pick] = false;
        }
        return logp;
    }
}
