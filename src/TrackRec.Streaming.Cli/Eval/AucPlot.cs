using System.Globalization;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Cli.Eval;

/// <summary>auc_by_round.png: Full's test AUC and the validator's AUC per round (mean ± std over seeds), against B0..B2.</summary>
internal static class AucPlot
{
    public static void Write(EvalSummary summary, string path)
    {
        var plot = new ScottPlot.Plot();
        var rounds = summary.Table.Where(r => r.Name.StartsWith("round ", StringComparison.Ordinal))
            .Select(r => (Round: int.Parse(r.Name.AsSpan(6), CultureInfo.InvariantCulture), Row: r)).ToList();
        void Series(Func<EvalRowSummary, MeanStd?> figure, string legend)
        {
            var points = rounds.Where(p => figure(p.Row) is not null).ToList();
            if (points.Count == 0)
                return;
            var xs = points.Select(p => (double)p.Round).ToArray();
            var line = plot.Add.Scatter(xs, points.Select(p => figure(p.Row)!.Mean).ToArray());
            line.LegendText = legend;
            line.MarkerSize = 8;
            var bars = plot.Add.ErrorBar(xs, points.Select(p => figure(p.Row)!.Mean).ToArray(), points.Select(p => figure(p.Row)!.Std).ToArray());
            bars.Color = line.Color;
        }
        Series(r => r.Auc, "Full: DIN + statistics, content, chain features (test AUC)");
        Series(r => r.ValidatorAuc, "validator (test AUC)");
        foreach (var baseline in summary.Table.Where(r => r.Name is "B0" or "B1" or "B2" && r.Auc is not null))
        {
            var flat = plot.Add.HorizontalLine(baseline.Auc!.Mean);
            flat.LinePattern = ScottPlot.LinePattern.Dashed;
            flat.LegendText = $"{baseline.Name} (test AUC)";
        }
        plot.Title($"AUC by round, mean ± std over {summary.Seeds.Count} seed(s)");
        plot.XLabel("round");
        plot.YLabel("AUC");
        if (rounds.Count > 0)
        {
            plot.Axes.Bottom.SetTicks(rounds.Select(p => (double)p.Round).ToArray(), rounds.Select(p => p.Row.Auc is null ? $"{p.Round} (not run)" : p.Round.ToString(CultureInfo.InvariantCulture)).ToArray());
            plot.Axes.SetLimitsX(-0.5, rounds.Max(p => p.Round) + 0.5);
        }
        var values = summary.Table.SelectMany(r => new[] { r.Auc, r.ValidatorAuc }).OfType<MeanStd>().Select(m => m.Mean).ToList();
        if (values.Count > 0)
            plot.Axes.SetLimitsY(Math.Max(0, values.Min() - 0.03), Math.Min(1, values.Max() + 0.03));
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 900, 520);
    }
}
