using System.Globalization;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Cli.Eval;

/// <summary>auc_by_round.png: the backbone's test AUC with chain features and the validator's AUC per round, against the no-feature baseline.</summary>
internal static class AucPlot
{
    public static void Write(EvalReport report, string path)
    {
        var plot = new ScottPlot.Plot();
        var done = report.Rounds.Where(r => r.Status == "ok" && r.Round is not null).ToList();
        var backbone = done.Where(r => r.Auc is not null).ToList();
        if (backbone.Count > 0)
        {
            var line = plot.Add.Scatter(backbone.Select(r => (double)r.Round!.Value).ToArray(), backbone.Select(r => r.Auc!.Value).ToArray());
            line.LegendText = "DIN + chain features (test AUC)";
            line.MarkerSize = 8;
        }
        var validator = done.Where(r => r.ValidatorAuc is not null).ToList();
        if (validator.Count > 0)
        {
            var line = plot.Add.Scatter(validator.Select(r => (double)r.Round!.Value).ToArray(), validator.Select(r => r.ValidatorAuc!.Value).ToArray());
            line.LegendText = "validator (test AUC)";
            line.MarkerSize = 8;
        }
        if (report.Baseline.Auc is { } baseline)
        {
            var flat = plot.Add.HorizontalLine(baseline);
            flat.LinePattern = ScottPlot.LinePattern.Dashed;
            flat.LegendText = "DIN without chain features (test AUC)";
        }
        var notRun = report.Rounds.Count(r => r.Status != "ok");
        plot.Title(notRun > 0 ? $"AUC by round ({notRun} round(s) not run)" : "AUC by round");
        plot.XLabel("round");
        plot.YLabel("AUC");
        // One tick per round, named "not run" where no round trainer ran it.
        var ticks = report.Rounds.Where(r => r.Round is not null).ToList();
        plot.Axes.Bottom.SetTicks(
            ticks.Select(r => (double)r.Round!.Value).ToArray(),
            ticks.Select(r => r.Status == "ok" ? r.Round!.Value.ToString(CultureInfo.InvariantCulture) : $"{r.Round} ({r.Status})").ToArray());
        plot.Axes.SetLimitsX(-0.5, Math.Max(1, ticks.Count - 1) + 0.5);
        var values = done.SelectMany(r => new[] { r.Auc, r.ValidatorAuc }).Append(report.Baseline.Auc).OfType<double>().ToList();
        if (values.Count > 0)
            plot.Axes.SetLimitsY(Math.Max(0, values.Min() - 0.03), Math.Min(1, values.Max() + 0.03));
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 800, 500);
    }
}
