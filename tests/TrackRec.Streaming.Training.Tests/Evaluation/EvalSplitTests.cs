using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.Training.Evaluation;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Tests.Evaluation;

public sealed class EvalSplitTests
{
    private static readonly EventStream Stream = StreamSimulator.Generate(new SimulatorOptions { Seed = 21, Users = 40, ImpressionsPerUser = 25 });

    [Fact]
    public void Test_impressions_come_after_the_split_and_train_events_before_it()
    {
        var split = EvalSplit.Build(Stream.Items, Stream.Events, 0.7, new PipelineOptions(), heldOutOutcomes: 5);

        Assert.NotEmpty(split.Train);
        Assert.NotEmpty(split.Test);
        Assert.All(split.Train, l => Assert.True(l.Time < split.SplitTime));
        Assert.All(split.Test, l => Assert.True(l.Time >= split.SplitTime));
        Assert.All(split.TrainEvents, e => Assert.True(e.EventTime < split.SplitTime));
        Assert.Equal(Stream.Events.Count(e => e is Events.Impression), split.Train.Count + split.Test.Count);
        Assert.Equal(split.All.Select(l => l.Time).Order(), split.All.Select(l => l.Time));
    }

    [Fact]
    public void No_request_holds_an_outcome_at_or_after_its_own_impression()
    {
        var split = EvalSplit.Build(Stream.Items, Stream.Events, 0.7, new PipelineOptions(), heldOutOutcomes: 5);

        Assert.Contains(split.Test, l => l.Request.HeldOut.Count > 0); // the check below is not vacuous
        foreach (var l in split.All)
        {
            // Held-out outcomes are labels the worker already had: strictly earlier impressions.
            Assert.All(l.Request.HeldOut, h => Assert.True(h.ImpressionTime < l.Time, $"held-out outcome at {h.ImpressionTime:O} for an impression at {l.Time:O}"));
            // The history ends at the impression: nothing later, and no engagement with the impressed item from its own outcome.
            Assert.All(l.Request.History, h => Assert.True(h.Time <= l.Time));
            Assert.DoesNotContain(l.Request.History, h => h.ItemId == l.Item.ItemId && h.Signal != Signal.Impression && h.Time >= l.Time);
            Assert.True(l.Request.AsOf <= l.Time);
        }
    }

    [Fact]
    public void Backbone_history_is_engagements_before_the_impression_newest_last()
    {
        var split = EvalSplit.Build(Stream.Items, Stream.Events, 0.7, new PipelineOptions(), heldOutOutcomes: 5);

        var withHistory = split.Test.Where(l => CtrFeaturizer.EngagedHistory(l, 10).Count > 0).ToList();
        Assert.NotEmpty(withHistory);
        foreach (var l in withHistory)
        {
            var history = CtrFeaturizer.EngagedHistory(l, 10);
            Assert.InRange(history.Count, 1, 10);
            Assert.Equal(history.Count, history.Distinct().Count());
        }
    }

    [Fact]
    public void Impressions_of_one_instant_keep_the_order_they_were_shown_in_whatever_their_labels()
    {
        // One log of four news at one instant, the last clicked: its label resolves first.
        var t = new DateTimeOffset(2019, 11, 9, 8, 0, 0, TimeSpan.Zero);
        var events = new List<Events.BehaviourEvent>();
        for (var p = 0; p < 4; p++)
            events.Add(new Events.Impression($"i{p}", "u", $"n{p}", t, $"i{p}", p));
        events.Add(new Events.Click("c", "u", "n3", t.AddSeconds(1), "i3"));
        events.Add(new Events.Impression("late", "u", "n9", t.AddHours(2), "late"));

        var split = EvalSplit.Build([], events, 0.5, new PipelineOptions(), heldOutOutcomes: 0);

        Assert.Equal(["n0", "n1", "n2", "n3"], split.Train.Select(l => l.Item.ItemId));
        Assert.True(split.Train[3].Clicked);
    }

    [Fact]
    public void A_share_outside_zero_to_one_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EvalSplit.Build(Stream.Items, Stream.Events, 1.0, new PipelineOptions(), 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => EvalSplit.Build(Stream.Items, Stream.Events, 0, new PipelineOptions(), 5));
    }
}
