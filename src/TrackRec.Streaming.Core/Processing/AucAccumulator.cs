namespace TrackRec.Streaming.Processing;

/// <summary>
/// The AUC of scores in [0, 1] against binary labels, accumulated from many threads in constant memory:
/// scores are counted in fine bins (1e-4 wide) per label, and pairs that share a bin count as ties. With
/// 10,000 bins the error against the exact rank AUC is below the bin width's share of tied pairs, far
/// under the noise of any stream this worker sees.
/// </summary>
public sealed class AucAccumulator
{
    private const int Bins = 10_000;
    private readonly long[] _positives = new long[Bins + 1];
    private readonly long[] _negatives = new long[Bins + 1];
    private readonly Lock _gate = new();

    /// <summary>Pairs added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one (score, label) pair; scores outside [0, 1] are clamped.</summary>
    public void Add(double score, bool positive)
    {
        var bin = (int)Math.Round(Math.Clamp(double.IsNaN(score) ? 0.5 : score, 0, 1) * Bins);
        lock (_gate)
        {
            (positive ? _positives : _negatives)[bin]++;
            Count++;
        }
    }

    /// <summary>P(score of a random positive &gt; score of a random negative), ties counting half; null without both classes.</summary>
    public double? Auc()
    {
        lock (_gate)
        {
            long negativesBelow = 0, positives = 0, negatives = 0;
            double wins = 0;
            for (var bin = 0; bin <= Bins; bin++)
            {
                wins += _positives[bin] * (negativesBelow + 0.5 * _negatives[bin]);
                negativesBelow += _negatives[bin];
                positives += _positives[bin];
                negatives += _negatives[bin];
            }
            return positives == 0 || negatives == 0 ? null : wins / ((double)positives * negatives);
        }
    }
}
