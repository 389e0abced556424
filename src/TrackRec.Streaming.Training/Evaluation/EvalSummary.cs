namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>`trackrec eval` over several seeds: every row's mean ± std, the headline with its interval, and each seed's run.</summary>
public sealed record EvalSummary
{
    /// <summary>Describes the input.</summary>
    public required string Source { get; init; }

    /// <summary>The seeds, in run order.</summary>
    public required IReadOnlyList<int> Seeds { get; init; }

    /// <summary>One line per row name (B0, B1, B2, round N, ablations) over the seeds that ran it.</summary>
    public required IReadOnlyList<EvalRowSummary> Table { get; init; }

    /// <summary>Full (round 0) against the stronger of B1 and B2, or null when a row is missing.</summary>
    public EvalHeadline? Headline { get; init; }

    /// <summary>Best-of-n on later outcomes per round, pooled over the seeds, with its user-bootstrap interval.</summary>
    public IReadOnlyList<EvalSelectionSummary> Selection { get; init; } = [];

    /// <summary>Each seed's full report.</summary>
    public required IReadOnlyList<EvalReport> Runs { get; init; }

    /// <summary>Wall-clock seconds of all seeds.</summary>
    public double ElapsedS { get; init; }
}

/// <summary>Mean and sample standard deviation of a figure over seeds (std 0 for one seed); null when no seed has it.</summary>
public sealed record MeanStd(double Mean, double Std, int N)
{
    /// <summary>Over the finite values of <paramref name="values"/>.</summary>
    public static MeanStd? Of(IEnumerable<double?> values)
    {
        var v = values.OfType<double>().Where(double.IsFinite).ToList();
        if (v.Count == 0)
            return null;
        var mean = v.Average();
        var std = v.Count < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Count - 1));
        return new MeanStd(Math.Round(mean, 5), Math.Round(std, 5), v.Count);
    }
}

/// <summary>One row of the summary table.</summary>
public sealed record EvalRowSummary(
    string Name, string? Features, MeanStd? Auc, MeanStd? LogLoss, MeanStd? ValidatorAuc,
    MeanStd? MeanLogAuc, MeanStd? Mrr, MeanStd? Ndcg5, MeanStd? Ndcg10)
{
    /// <summary>Best-of-n margin (selected minus mean sample reward on later outcomes) over the seeds; rounds only.</summary>
    public MeanStd? SelectionMargin { get; init; }
}

/// <summary>
/// Best-of-n on later outcomes for one round: each test row's selected minus mean sample reward averaged over
/// the seeds (rows every seed served a chain), its mean and 95% user-bootstrap interval; significant when the
/// interval excludes 0.
/// </summary>
public sealed record EvalSelectionSummary(string Row, int Impressions, double SelectedReward, double MeanSampleReward, double Margin, double IntervalLow, double IntervalHigh, int Resamples, bool Significant);

/// <summary>Full against the stronger baseline: mean AUCs, the difference with its user-bootstrap 95% interval, and the target.</summary>
public sealed record EvalHeadline(
    string Full, string Against, double FullAuc, double AgainstAuc, double Difference, double RelativePercent,
    double IntervalLow, double IntervalHigh, int Resamples, double TargetRelativePercent, bool TargetMet);
