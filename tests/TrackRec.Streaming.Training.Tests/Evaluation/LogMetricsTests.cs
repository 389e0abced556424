using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Tests.Evaluation;

public sealed class LogMetricsTests
{
    [Fact]
    public void A_perfect_ranking_scores_one_and_logs_without_both_classes_are_skipped()
    {
        // Log 0: the click ranked first; log 1: only passes (skipped).
        var metrics = LogMetrics.Compute([0.9, 0.1, 0.2, 0.5, 0.4], [true, false, false, false, false], [0, 0, 0, 1, 1])!;

        Assert.Equal(1, metrics.Logs);
        Assert.Equal(1.0, metrics.MeanLogAuc);
        Assert.Equal(1.0, metrics.Mrr);
        Assert.Equal(1.0, metrics.Ndcg5);
        Assert.Equal(1.0, metrics.Ndcg10);
    }

    [Fact]
    public void A_click_ranked_third_of_three_gives_mind_figures()
    {
        var metrics = LogMetrics.Compute([0.9, 0.8, 0.1], [false, false, true], [7, 7, 7])!;

        Assert.Equal(0.0, metrics.MeanLogAuc);
        Assert.Equal(1 / 3.0, metrics.Mrr, 10);
        Assert.Equal(1 / Math.Log2(4), metrics.Ndcg5, 10); // DCG 1/log2(3+1) over the ideal 1/log2(2)
    }

    [Fact]
    public void Tied_scores_give_no_ranking_credit()
    {
        var metrics = LogMetrics.Compute([0.5, 0.5, 0.5, 0.5], [true, false, false, false], [0, 0, 0, 0])!;

        Assert.Equal(0.5, metrics.MeanLogAuc);
        Assert.Equal(0.25, metrics.Mrr, 10); // the click is ranked after its three ties
    }

    [Fact]
    public void No_qualifying_log_gives_null() =>
        Assert.Null(LogMetrics.Compute([0.5, 0.4], [false, false], [0, 1]));
}
