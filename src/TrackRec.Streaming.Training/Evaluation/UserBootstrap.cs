using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// Paired bootstraps over users on the same test rows: each resample draws users with replacement (all of a
/// drawn user's rows, as often as drawn), the statistic is computed on the drawn rows, and the interval is its
/// 2.5th and 97.5th percentile. Users, not rows, are resampled because one user's rows are not independent.
/// </summary>
public static class UserBootstrap
{
    /// <summary>Mean difference and 95% interval of AUC(a) - AUC(b) over seeds (one score list per seed and model), averaged over the seeds on each resample.</summary>
    public static (double Mean, double Low, double High) AucDifference(
        IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b, IReadOnlyList<bool> labels, IReadOnlyList<int> userOf, int resamples, int seed)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(labels);
        if (a.Count == 0 || a.Count != b.Count)
            throw new ArgumentException("one score list per seed for each model, at least one seed");
        var mean = Enumerable.Range(0, a.Count).Average(s => Auc.Compute(a[s], labels) - Auc.Compute(b[s], labels));
        return Interval(mean, userOf, resamples, seed, rows =>
        {
            var y = rows.Select(i => labels[i]).ToList();
            return Enumerable.Range(0, a.Count).Average(s => Auc.Compute(rows.Select(i => a[s][i]).ToList(), y) - Auc.Compute(rows.Select(i => b[s][i]).ToList(), y));
        });
    }

    /// <summary>Mean and 95% interval of a per-row paired difference (e.g. selected minus mean sample reward), over the rows of drawn users.</summary>
    public static (double Mean, double Low, double High) MeanDifference(IReadOnlyList<double> differences, IReadOnlyList<int> userOf, int resamples, int seed)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Count == 0)
            throw new ArgumentException("no rows", nameof(differences));
        return Interval(differences.Average(), userOf, resamples, seed, rows => rows.Count == 0 ? double.NaN : rows.Average(i => differences[i]));
    }

    private static (double Mean, double Low, double High) Interval(double mean, IReadOnlyList<int> userOf, int resamples, int seed, Func<List<int>, double> statistic)
    {
        ArgumentNullException.ThrowIfNull(userOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1);
        var rowsOf = Enumerable.Range(0, userOf.Count).GroupBy(i => userOf[i]).Select(g => g.ToArray()).ToArray();
        var random = new Random(seed);
        var values = new double[resamples];
        // The draws come from one generator in resample order; only the statistics (an AUC sorts every drawn
        // row) are spread over the cores, a chunk at a time so the drawn rows do not all sit in memory at once.
        const int chunk = 64;
        for (var start = 0; start < resamples; start += chunk)
        {
            var draws = new List<int>[Math.Min(chunk, resamples - start)];
            for (var r = 0; r < draws.Length; r++)
            {
                var rows = new List<int>(userOf.Count);
                for (var u = 0; u < rowsOf.Length; u++)
                    rows.AddRange(rowsOf[random.Next(rowsOf.Length)]);
                draws[r] = rows;
            }
            Parallel.For(0, draws.Length, r => values[start + r] = statistic(draws[r]));
        }
        var finite = values.Where(double.IsFinite).Order().ToArray();
        if (finite.Length == 0)
            return (mean, double.NaN, double.NaN);
        return (mean, finite[(int)Math.Floor(0.025 * (finite.Length - 1))], finite[(int)Math.Ceiling(0.975 * (finite.Length - 1))]);
    }
}
