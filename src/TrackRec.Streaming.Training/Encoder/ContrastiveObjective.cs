using static TorchSharp.torch;
using TrackRec.Streaming.Training.Mlp;

namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// What every contrastive trainer here shares, whatever it trains (an encoder from scratch, an adapter on MiniLM):
/// the seeded held-out split of the pairs, the symmetric InfoNCE loss with in-batch negatives, and held-out
/// retrieval (does an anchor's nearest positive in its group have its own positive's key) against chance.
/// </summary>
internal static class ContrastiveObjective
{
    /// <summary>Shuffles the pair indexes with <paramref name="random"/> and holds out a share; throws when too few are left to train on.</summary>
    public static (int[] Train, int[] HeldOut) Split(int pairs, Random random, int maxHeldOut, double heldOutShare)
    {
        var order = Enumerable.Range(0, pairs).ToArray();
        random.Shuffle(order);
        var heldOutCount = Math.Min(maxHeldOut, (int)(pairs * heldOutShare));
        if (heldOutCount < 2)
            heldOutCount = 0;
        var train = order[heldOutCount..];
        if (train.Length < 2)
            throw new ArgumentException($"{pairs} pairs leave {train.Length} to train on after holding out {heldOutCount}", nameof(pairs));
        return (train, order[..heldOutCount]);
    }

    /// <summary>Symmetric InfoNCE: row i of <paramref name="anchors"/> should pick row i of <paramref name="positives"/>, and the other way round.</summary>
    public static Tensor Loss(Tensor anchors, Tensor positives, double temperature)
    {
        using var temperatureScalar = TorchScalars.Of(temperature);
        using var rows = TorchScalars.Of(anchors.shape[0]);
        var logits = anchors.matmul(positives.t()).div(temperatureScalar);
        var labels = arange(rows, ScalarType.Int64);
        return nn.functional.cross_entropy(logits, labels).add(nn.functional.cross_entropy(logits.t(), labels), TorchScalars.OneInt).div(TorchScalars.TwoInt);
    }

    /// <summary>
    /// In-batch retrieval on the held-out pairs, in groups of <paramref name="groupSize"/>: the share of anchors whose
    /// nearest positive has their own positive's key (equal keys count as the same positive), and what a random
    /// ranking would score on the same groups. <paramref name="encode"/> gives a group's anchor and positive vectors.
    /// </summary>
    public static (double Accuracy, double Chance) Retrieval(int[] heldOut, int groupSize, Func<int[], (Tensor Anchors, Tensor Positives)> encode, Func<int, string> keyOf)
    {
        double correct = 0, chance = 0;
        var measured = 0;
        using var noGrad = no_grad();
        for (var start = 0; start < heldOut.Length; start += groupSize)
        {
            var group = heldOut.AsSpan(start, Math.Min(groupSize, heldOut.Length - start)).ToArray();
            if (group.Length < 2)
                continue;
            using var scope = NewDisposeScope();
            var (anchors, positives) = encode(group);
            var best = anchors.matmul(positives.t()).argmax(1).data<long>().ToArray();
            for (var r = 0; r < group.Length; r++)
            {
                var own = keyOf(group[r]);
                if (string.Equals(keyOf(group[(int)best[r]]), own, StringComparison.Ordinal))
                    correct++;
                chance += group.Count(i => string.Equals(keyOf(i), own, StringComparison.Ordinal)) / (double)group.Length;
            }
            measured += group.Length;
        }
        return measured == 0 ? (double.NaN, double.NaN) : (correct / measured, chance / measured);
    }
}
