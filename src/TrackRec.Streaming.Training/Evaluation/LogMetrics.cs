using System.Text.Json.Serialization;
using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// MIND's own ranking metrics over impression logs (Wu et al., 2020): per log, the AUC of the scores of its
/// shown news, the reciprocal rank of its first click and nDCG@5 / @10 of its clicks; averaged over the
/// logs that have both a click and a non-click (as MIND's scorer skips the others). Tied scores count
/// half in the AUC and rank clicks last in MRR and nDCG.
/// </summary>
public sealed record LogMetrics(
    [property: JsonPropertyName("logs")] int Logs,
    [property: JsonPropertyName("mean_log_auc")] double MeanLogAuc,
    [property: JsonPropertyName("mrr")] double Mrr,
    [property: JsonPropertyName("ndcg5")] double Ndcg5,
    [property: JsonPropertyName("ndcg10")] double Ndcg10)
{
    /// <summary>The metrics of <paramref name="scores"/> for rows grouped into logs by <paramref name="logOf"/>; null when no log qualifies.</summary>
    public static LogMetrics? Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> labels, IReadOnlyList<int> logOf)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(logOf);
        if (scores.Count != labels.Count || scores.Count != logOf.Count)
            throw new ArgumentException("scores, labels and logs must have one entry per row");
        double auc = 0, mrr = 0, ndcg5 = 0, ndcg10 = 0;
        var logs = 0;
        foreach (var log in Enumerable.Range(0, scores.Count).GroupBy(i => logOf[i]))
        {
            var rows = log.ToList();
            var clicks = rows.Count(i => labels[i]);
            if (clicks == 0 || clicks == rows.Count)
                continue;
            logs++;
            var s = rows.Select(i => scores[i]).ToList();
            var y = rows.Select(i => labels[i]).ToList();
            auc += Auc.Compute(s, y);
            // Ties are broken against the clicks: a model that scores a log's news alike (unknown news of
            // one user) gets no credit from the order the log happened to list them in.
            var ranked = rows.Select(i => (Score: scores[i], Clicked: labels[i])).OrderByDescending(x => x.Score).ThenBy(x => x.Clicked).Select(x => x.Clicked).ToList();
            mrr += ranked.Select((c, r) => c ? 1.0 / (r + 1) : 0).Sum() / clicks;
            ndcg5 += Ndcg(ranked, clicks, 5);
            ndcg10 += Ndcg(ranked, clicks, 10);
        }
        return logs == 0 ? null : new LogMetrics(logs, auc / logs, mrr / logs, ndcg5 / logs, ndcg10 / logs);
    }

    // MIND's scorer: DCG with gains 2^rel - 1 over log2(rank + 1), over the ideal ordering's DCG.
    private static double Ndcg(IReadOnlyList<bool> ranked, int clicks, int k)
    {
        double dcg = 0, ideal = 0;
        for (var r = 0; r < Math.Min(k, ranked.Count); r++)
        {
            if (ranked[r])
                dcg += 1 / Math.Log2(r + 2);
            if (r < clicks)
                ideal += 1 / Math.Log2(r + 2);
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }
}
