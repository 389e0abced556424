using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Tests.Evaluation;

/// <summary>Best-of-n on later outcomes: selected against mean sample reward, paired per impression, interval over users.</summary>
public sealed class SelectionMarginTests
{
    // p(click) is the number the draft's text names: "0.9" says 0.9 for every item.
    private sealed class TextValidator : IChainValidator
    {
        public string Version => "text";

        public Task<IReadOnlyList<double>> ScoreAsync(ChainRequest request, ChainDraft chain, IReadOnlyList<CandidateItem> items, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<double>>(items.Select(_ => double.Parse(chain.Text, System.Globalization.CultureInfo.InvariantCulture)).ToList());
    }

    private static EvalImpression Impression(string user, bool clicked, int selected, params string[] samples)
    {
        var request = new ChainRequest(user, [], [], 1, DateTimeOffset.UnixEpoch);
        var chain = new Chain($"c-{user}", user, samples[selected], "g", DateTimeOffset.UnixEpoch, 1, [], [])
        {
            Samples = samples.Select((s, i) => new SampledChain(i, new ChainDraft(s, [], null), null)).ToList(),
            SelectedIndex = selected,
        };
        return new EvalImpression(new LabelledImpression(request, new CandidateItem("i", "t", []), clicked, DateTimeOffset.UnixEpoch), chain, null);
    }

    [Fact]
    public async Task A_selection_that_picks_the_sample_the_outcome_agrees_with_has_a_positive_significant_margin()
    {
        // Every user clicks, and selection picked the sample that says 0.9 among 0.9, 0.5 and 0.1 (mean 0.5).
        var test = Enumerable.Range(0, 40).Select(u => Impression($"u{u}", clicked: true, selected: 0, "0.9", "0.5", "0.1")).ToList();
        test.Add(new EvalImpression(test[0].Labelled, null, null)); // no chain: left out

        var (margin, differences) = await SelectionMargin.ComputeAsync(test, new TextValidator(), resamples: 200, seed: 1, TestContext.Current.CancellationToken);

        Assert.NotNull(margin);
        Assert.Equal(40, margin.Impressions);
        Assert.Equal(40, margin.Users);
        Assert.Equal(0.9, margin.SelectedReward, 6);
        Assert.Equal(0.5, margin.MeanSampleReward, 6);
        Assert.Equal(0.4, margin.Margin, 6);
        Assert.True(margin.IntervalLow > 0);
        Assert.True(double.IsNaN(differences[^1]));
    }

    [Fact]
    public async Task A_selection_no_better_than_chance_has_an_interval_around_zero()
    {
        // Half the users clicked (the 0.9 sample was right), half did not (it was wrong): the margins cancel.
        var test = Enumerable.Range(0, 60).Select(u => Impression($"u{u}", clicked: u % 2 == 0, selected: 0, "0.9", "0.1")).ToList();

        var (margin, _) = await SelectionMargin.ComputeAsync(test, new TextValidator(), resamples: 500, seed: 1, TestContext.Current.CancellationToken);

        Assert.Equal(0.0, margin!.Margin, 6);
        Assert.True(margin.IntervalLow < 0 && margin.IntervalHigh > 0, $"[{margin.IntervalLow}, {margin.IntervalHigh}]");
        Assert.Equal(0.5, margin.MeanSampleReward, 6); // (0.9 + 0.1) / 2 whatever the label
    }
}
