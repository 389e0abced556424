using System.Globalization;
using System.Text;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Cli.Eval;

/// <summary>The printed table of `trackrec eval`: one row per baseline and round.</summary>
internal static class EvalTable
{
    /// <summary>Rows: baseline, round 0, round 1...; AUC, log loss, known/new-user AUC on the test impressions, the validator's test AUC,
    /// the round's chosen/rejected margin, and the backbone's validation AUC (the newest train rows).</summary>
    public static string Render(EvalReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"{"",-2}{"row",-10} {"AUC",8} {"LogLoss",8} {"validator AUC",14} {"margin",8} {"AUC known users",16} {"AUC new users",14} {"val. AUC",9}  status");
        foreach (var row in new[] { report.Baseline }.Concat(report.Rounds))
        {
            var name = row.Round is null ? "baseline" : $"round {row.Round}";
            text.AppendLine(c, $"{"",-2}{name,-10} {F(row.Auc),8} {F(row.LogLoss),8} {F(row.ValidatorAuc),14} {F(row.MeanChosenRejectedMargin),8} {F(row.AucKnownUsers),16} {F(row.AucNewUsers),14} {F(row.ValidationAuc),9}  {row.Status}");
        }
        return text.ToString();
    }

    private static string F(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
