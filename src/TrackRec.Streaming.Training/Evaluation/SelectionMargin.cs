using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// Does best-of-n selection matter on later outcomes? For every test impression served a chain, the validator
/// scores each of the generation's n samples for the impressed item; the selected sample's reward
/// (<see cref="Rewards.Of"/>: p for a click, 1 - p for none) is compared with the mean reward of all n samples,
/// paired per impression, with a bootstrap interval over users. The outcomes are later than the held-out
/// ones the selection read, so this measures selection, not the fit to what it saw.
/// </summary>
/// <param name="Impressions">Test impressions served a chain with at least two samples.</param>
/// <param name="SelectedReward">Mean reward of the selected sample.</param>
/// <param name="MeanSampleReward">Mean over impressions of the n samples' mean reward.</param>
/// <param name="Margin">SelectedReward - MeanSampleReward.</param>
/// <param name="IntervalLow">2.5th percentile of the margin over user resamples.</param>
/// <param name="IntervalHigh">97.5th percentile.</param>
public sealed record SelectionMargin(int Impressions, int Users, double SelectedReward, double MeanSampleReward, double Margin, double IntervalLow, double IntervalHigh)
{
    /// <summary>
    /// The margin on <paramref name="test"/> under <paramref name="validator"/>, and the per-row differences
    /// (NaN where no chain with samples was served), for pooling over seeds.
    /// </summary>
    public static async Task<(SelectionMargin? Margin, double[] Differences)> ComputeAsync(IReadOnlyList<EvalImpression> test, IChainValidator validator, int resamples, int seed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(validator);
        var differences = new double[test.Count];
        var selected = new double[test.Count];
        var mean = new double[test.Count];
        Array.Fill(differences, double.NaN);
        for (var r = 0; r < test.Count; r++)
        {
            var e = test[r];
            if (e.Chain is not { Samples.Count: > 1 } chain)
                continue;
            var item = e.Labelled.Item;
            var rewards = new double[chain.Samples.Count];
            for (var j = 0; j < rewards.Length; j++)
            {
                var scores = await validator.ScoreAsync(e.Labelled.Request, chain.Samples[j].Draft, [item], ct).ConfigureAwait(false);
                rewards[j] = Rewards.Of(scores[0], e.Labelled.Clicked);
            }
            selected[r] = rewards[chain.SelectedIndex];
            mean[r] = rewards.Average();
            differences[r] = selected[r] - mean[r];
        }
        return (Of(test, differences, selected, mean, resamples, seed), differences);
    }

    /// <summary>The margin of per-row differences (NaN rows left out), with the interval over the users of <paramref name="test"/>.</summary>
    public static SelectionMargin? Of(IReadOnlyList<EvalImpression> test, IReadOnlyList<double> differences, IReadOnlyList<double> selected, IReadOnlyList<double> mean, int resamples, int seed)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(differences);
        var rows = Enumerable.Range(0, differences.Count).Where(i => double.IsFinite(differences[i])).ToList();
        if (rows.Count == 0)
            return null;
        var users = new Dictionary<string, int>(StringComparer.Ordinal);
        var userOf = rows.Select(i => test[i].Labelled.Request.UserId).Select(u => users.TryGetValue(u, out var k) ? k : users[u] = users.Count).ToList();
        var (margin, low, high) = UserBootstrap.MeanDifference(rows.Select(i => differences[i]).ToList(), userOf, resamples, seed);
        return new SelectionMargin(rows.Count, users.Count, Round(rows.Average(i => selected[i])), Round(rows.Average(i => mean[i])), Round(margin), Round(low), Round(high));
    }

    private static double Round(double value) => Math.Round(value, 6);
}
