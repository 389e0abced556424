using TrackRec.Streaming.Cli.Eval;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Tests.Eval;

/// <summary>The printed eval table: the best-of-n lines show the digits their verdict rests on.</summary>
public sealed class EvalTableTests
{
    [Fact]
    public void A_best_of_n_margin_of_a_few_1e5_prints_its_digits_beside_its_verdict()
    {
        var text = EvalTable.Render(Summary(
            new EvalSelectionSummary("round 1", 52_572, 0.93937, 0.93941, -0.00004, -0.00006, -0.00002, 1000, Significant: true),
            new EvalSelectionSummary("round 3", 52_572, 0.93917, 0.93918, -0.00001, -0.00003, 0.00001, 1000, Significant: false)));

        Assert.Contains("round 1: selected 0.9394 vs mean sample 0.9394 reward on 52,572 later outcomes, margin -0.00004, 95% user-bootstrap interval [-0.00006, -0.00002]: below 0, selection hurts", text);
        Assert.Contains("margin -0.00001, 95% user-bootstrap interval [-0.00003, +0.00001]: includes 0", text);
    }

    [Fact]
    public void A_margin_that_rounds_to_zero_prints_without_a_sign_pair()
    {
        var text = EvalTable.Render(Summary(new EvalSelectionSummary("round 0", 10, 0.5, 0.5, -0.000001, 0.000002, 0.000004, 1000, Significant: true)));

        Assert.Contains("margin +0.00000, 95% user-bootstrap interval [+0.00000, +0.00000]: above 0, selection helps", text);
    }

    private static EvalSummary Summary(params EvalSelectionSummary[] selection) => new()
    {
        Source = "test",
        Seeds = [42],
        Table = [new EvalRowSummary("round 0", "+ chain", new MeanStd(0.7, 0, 1), null, null, null, null, null, null) { SelectionMargin = new MeanStd(0.0001, 0, 1) }],
        Selection = selection,
        Runs = [],
    };
}
