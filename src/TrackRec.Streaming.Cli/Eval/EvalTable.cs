using System.Globalization;
using System.Text;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Cli.Eval;

/// <summary>The printed table of `trackrec eval`: one line per row (B0..B2, rounds, ablations) with mean ± std over seeds, then the headline.</summary>
internal static class EvalTable
{
    public static string Render(EvalSummary summary)
    {
        var c = CultureInfo.InvariantCulture;
        var log = summary.Table.Any(r => r.MeanLogAuc is not null);
        var text = new StringBuilder();
        var selection = summary.Table.Any(r => r.SelectionMargin is not null);
        text.Append(c, $"{"",-2}{"row",-25} {"AUC",17} {"LogLoss",17} {"validator AUC",17}");
        if (selection)
            text.Append(c, $" {"best-of-n margin",17}");
        if (log)
            text.Append(c, $" {"log AUC",17} {"MRR",17} {"nDCG@5",17} {"nDCG@10",17}");
        text.AppendLine("  features");
        foreach (var row in summary.Table)
        {
            text.Append(c, $"{"",-2}{(row.Name == "round 0" ? "round 0 (Full)" : row.Name),-25} {F(row.Auc),17} {F(row.LogLoss),17} {F(row.ValidatorAuc),17}");
            if (selection)
                text.Append(c, $" {F(row.SelectionMargin),17}");
            if (log)
                text.Append(c, $" {F(row.MeanLogAuc),17} {F(row.Mrr),17} {F(row.Ndcg5),17} {F(row.Ndcg10),17}");
            text.AppendLine(c, $"  {row.Features}");
        }
        if (summary.Headline is { } h)
            text.AppendLine(c, $"""

                  headline: {h.Full} {h.FullAuc:F4} vs {h.Against} {h.AgainstAuc:F4}: {Signed(h.Difference)} AUC ({h.RelativePercent:+0.00;-0.00}% relative), 95% user-bootstrap interval [{Signed(h.IntervalLow)}, {Signed(h.IntervalHigh)}] ({h.Resamples} resamples); target +{h.TargetRelativePercent}% with the interval above 0: {(h.TargetMet ? "met" : "missed")}
                """);
        foreach (var s in summary.Selection)
            text.AppendLine(c, $"  best-of-n, {s.Row}: selected {s.SelectedReward:F4} vs mean sample {s.MeanSampleReward:F4} reward on {s.Impressions:N0} later outcomes, margin {Signed(s.Margin, 5)}, 95% user-bootstrap interval [{Signed(s.IntervalLow, 5)}, {Signed(s.IntervalHigh, 5)}]: {(s.IntervalLow > 0 ? "above 0, selection helps" : s.IntervalHigh < 0 ? "below 0, selection hurts" : "includes 0")}");
        return text.ToString();
    }

    // A value that rounds to 0 prints +0.0000 (a negative one under half a unit printed "-+0.0000"). Best-of-n
    // margins print the 5 decimals the summary keeps: on MIND they are a few 1e-5, and at 4 decimals an
    // interval that excludes 0 printed as [+0.0000, +0.0000] beside the verdict "below 0".
    private static string Signed(double value, int decimals = 4)
    {
        var format = "0." + new string('0', decimals);
        return (Math.Round(value, decimals) + 0.0).ToString($"+{format};-{format}", CultureInfo.InvariantCulture);
    }

    private static string F(MeanStd? value) => value is { } v
        ? string.Create(CultureInfo.InvariantCulture, $"{v.Mean:F4} ± {v.Std:F4}")
        : "-";
}
