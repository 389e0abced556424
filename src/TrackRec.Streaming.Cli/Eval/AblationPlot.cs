using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Cli.Eval;

/// <summary>ablations.png: test AUC of B0, B1, B2, Full and Full without each chain feature, bars at the mean with ± std over seeds.</summary>
internal static class AblationPlot
{
    public static void Write(EvalSummary summary, string path)
    {
        var rows = summary.Table.Where(r => r.Auc is not null && (r.Name is "B0" or "B1" or "B2" or "round 0" || r.Name.StartsWith("Full", StringComparison.Ordinal))).ToList();
        var plot = new ScottPlot.Plot();
        var bars = rows.Select((r, i) => new ScottPlot.Bar { Position = i, Value = r.Auc!.Mean, Error = r.Auc.Std }).ToList();
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(rows.Select((_, i) => (double)i).ToArray(), rows.Select(r => r.Name == "round 0" ? "Full" : r.Name.Replace("Full - ", "-", StringComparison.Ordinal)).ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleLeft;
        if (rows.Count > 0)
        {
            var low = rows.Min(r => r.Auc!.Mean - r.Auc.Std);
            var high = rows.Max(r => r.Auc!.Mean + r.Auc.Std);
            plot.Axes.SetLimitsY(Math.Max(0, low - 0.02), Math.Min(1, high + 0.02));
        }
        plot.Title($"Test AUC by feature set, mean ± std over {summary.Seeds.Count} seed(s)");
        plot.YLabel("AUC");
        plot.SavePng(path, 900, 560);
    }
}
