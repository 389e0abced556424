namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// Exact area under the ROC curve: the probability that a random positive scores above a random negative,
/// ties counting one half. Computed from ranks (Mann-Whitney U with mid-ranks for ties) in O(n log n), so
/// training can report it on a whole validation set and serving-side evaluation gets the same number for
/// the same scores. No binning, no approximation.
/// </summary>
public static class Auc
{
    /// <summary>
    /// AUC of <paramref name="scores"/> against <paramref name="labels"/> (true = positive). Returns
    /// <see cref="double.NaN"/> when either class is absent: the measure is undefined there, and a NaN is
    /// harder to mistake for a real result than 0.5 would be.
    /// </summary>
    /// <exception cref="ArgumentException">The lists differ in length, or a score is NaN (it has no rank).</exception>
    public static double Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count)
            throw new ArgumentException($"{scores.Count} scores but {labels.Count} labels", nameof(labels));
        var n = scores.Count;
        var order = new int[n];
        var keys = new double[n];
        long positives = 0;
        for (var i = 0; i < n; i++)
        {
            if (double.IsNaN(scores[i]))
                throw new ArgumentException($"score {i} is NaN", nameof(scores));
            order[i] = i;
            keys[i] = scores[i];
            if (labels[i])
                positives++;
        }
        var negatives = n - positives;
        if (positives == 0 || negatives == 0)
            return double.NaN;
        Array.Sort(keys, order);

        // Sum of the (1-based, mid-rank for ties) ranks of the positives.
        double positiveRankSum = 0;
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
                end++;
            var midRank = (start + 1 + end) / 2.0; // mean of ranks start+1 .. end
            for (var j = start; j < end; j++)
                if (labels[order[j]])
                    positiveRankSum += midRank;
            start = end;
        }
        var u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double)positives * negatives);
    }
}
