using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// A paired bootstrap over users for the AUC difference of two models on the same test rows: each
/// resample draws users with replacement (all of a drawn user's rows, as often as drawn), the difference is
/// averaged over the seeds' runs on that resample, and the interval is its 2.5th and 97.5th percentile.
/// Users, not rows, are resampled because one user's rows are not independent.
/// </summary>
public static class UserBootstrap
{
    /// <summary>Mean difference and 95% interval of AUC(a) - AUC(b) over seeds (one score list per seed and model).</summary>
    public static (double Mean, double Low, double High) AucDifference(
        IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b, IReadOnlyList<bool> labels, IReadOnlyList<int> userOf, int resamples, int seed)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(userOf);
        if (a.Count == 0 || a.Count != b.Count)
            throw new ArgumentException("one score list per seed for each model, at least one seed");
        var rowsOf = Enumerable.Range(0, labels.Count).GroupBy(i => userOf[i]).Select(g => g.ToArray()).ToArray();
        var random = new Random(seed);
        var differences = new double[resamples];
        var mean = Enumerable.Range(0, a.Count).Average(s => Auc.Compute(a[s], labels) - Auc.Compute(b[s], labels));
        for (var r = 0; r < resamples; r++)
        {
            var rows = new List<int>(labels.Count);
            for (var u = 0; u < rowsOf.Length; u++)
                rows.AddRange(rowsOf[random.Next(rowsOf.Length)]);
            var y = rows.Select(i => labels[i]).ToList();
            differences[r] = Enumerable.Range(0, a.Count).Average(s => Auc.Compute(rows.Select(i => a[s][i]).ToList(), y) - Auc.Compute(rows.Select(i => b[s][i]).ToList(), y));
        }
        var finite = differences.Where(double.IsFinite).Order().ToArray();
        if (finite.Length == 0)
            return (mean, double.NaN, double.NaN);
        return (mean, finite[(int)Math.Floor(0.025 * (finite.Length - 1))], finite[(int)Math.Ceiling(0.975 * (finite.Length - 1))]);
    }
}
