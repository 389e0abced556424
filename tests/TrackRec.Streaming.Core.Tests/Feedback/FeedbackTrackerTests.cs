using Xunit;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Feedback;

namespace TrackRec.Streaming.Tests.Feedback;

public sealed class FeedbackTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly CandidateItem Jazz = new("jazz1", "Jazz One", ["jazz"]);

    private static Chain Generation(string id, int samples = 3, int selected = 0, string user = "u1") =>
        new(id, user, $"chain {selected}", "gen-1", T0, 7, [], [])
        {
            Samples = Enumerable.Range(0, samples).Select(i => new SampledChain(i, new ChainDraft($"chain {i}", [], -1.0 - i), null)).ToList(),
            SelectedIndex = selected,
            Versions = new ModelVersions("gen-1", "refl-1", "val-1", "enc-1", "exp-1"),
            Request = new ChainRequest(user, [], [], 7, T0),
        };

    private static FeedbackTracker Tracker(int minLabels, RewardRule reward = RewardRule.Accuracy) => new(
        new FeedbackOptions { MinLabels = minLabels },
        r => [new PromptMessage("user", "history of " + r.UserId)],
        (d, i) => [new PromptMessage("user", $"{d.Text} / {i.ItemId}")],
        reward);

    [Fact]
    public void A_generation_yields_a_validator_record_per_label_and_one_preference_at_min_labels()
    {
        var tracker = Tracker(2);
        var chain = Generation("g1", selected: 1);

        // Click: rewards = p. No click: rewards = 1 - p.
        var first = tracker.Record(chain, "imp1", Jazz, clicked: true, T0, [0.2, 0.6, 0.9]);
        var second = tracker.Record(chain, "imp2", Jazz, clicked: false, T0.AddMinutes(1), [0.4, 0.5, 0.1]);
        var third = tracker.Record(chain, "imp3", Jazz, clicked: true, T0.AddMinutes(2), [0.9, 0.9, 0.9]);

        Assert.NotNull(first);
        Assert.Null(first.Preference);
        Assert.Equal(("imp1", "g1", 1, true, 0.6), (first.Validator.ImpressionId, first.Validator.GenerationId, first.Validator.SampleIndex, first.Validator.Clicked, first.Validator.Score));
        Assert.Equal("chain 1", first.Validator.Chain.Text);

        var preference = Assert.IsType<PreferenceRecord>(second!.Preference);
        // Means: sample 0 (0.2 + 0.6) / 2 = 0.4, sample 1 (0.6 + 0.5) / 2 = 0.55, sample 2 (0.9 + 0.9) / 2 = 0.9.
        Assert.Equal(2, preference.ChosenIndex);
        Assert.Equal([1, 0], preference.RejectedIndexes);
        Assert.Equal(0.9 - ((0.55 + 0.4) / 2), preference.Margin, 12);
        Assert.Equal(["imp1", "imp2"], preference.LabelImpressionIds);
        Assert.Equal(2, preference.LabelCount);
        Assert.Equal(("g1", "u1", "gen-1"), (preference.GenerationId, preference.UserId, preference.Versions.Generator));
        Assert.Equal([new PromptMessage("user", "history of u1")], preference.Prompt);
        Assert.Equal([new PromptMessage("user", "chain 1 / jazz1")], first.Validator.Prompt);

        // Later labels still teach the validator, but the generation's preference is emitted once.
        Assert.NotNull(third);
        Assert.Null(third.Preference);
    }

    [Fact]
    public void The_same_outcome_twice_counts_once()
    {
        var tracker = Tracker(2);
        var chain = Generation("g1");

        Assert.NotNull(tracker.Record(chain, "imp1", Jazz, true, T0, [0.2, 0.6, 0.9]));
        Assert.Null(tracker.Record(chain, "imp1", Jazz, true, T0, [0.2, 0.6, 0.9]));
        Assert.NotNull(tracker.Record(chain, "imp2", Jazz, true, T0, [0.2, 0.6, 0.9])!.Preference); // the second distinct label
    }

    [Fact]
    public void A_new_generation_starts_its_rewards_from_zero()
    {
        var tracker = Tracker(2);

        tracker.Record(Generation("g1"), "imp1", Jazz, true, T0, [0.9, 0.1, 0.1]);
        var step = tracker.Record(Generation("g2"), "imp2", Jazz, true, T0, [0.1, 0.9, 0.1]);

        Assert.Null(step!.Preference); // one label for g2, not two
        Assert.Equal(1, tracker.OpenGenerations);
        var preference = tracker.Record(Generation("g2"), "imp3", Jazz, true, T0, [0.1, 0.9, 0.1])!.Preference;
        Assert.Equal(("g2", 1), (preference!.GenerationId, preference.ChosenIndex));
    }

    [Fact]
    public void Equal_rewards_give_no_preference_until_a_label_separates_the_chains()
    {
        var tracker = Tracker(1);
        var chain = Generation("g1", samples: 2);

        Assert.Null(tracker.Record(chain, "imp1", Jazz, true, T0, [0.5, 0.5])!.Preference);
        var preference = tracker.Record(chain, "imp2", Jazz, false, T0, [0.3, 0.6])!.Preference;

        Assert.NotNull(preference);
        Assert.Equal(0, preference.ChosenIndex);
        Assert.Equal([1], preference.RejectedIndexes);
    }

    [Fact]
    public void Under_the_balanced_reward_a_preference_waits_for_both_a_click_and_a_pass()
    {
        // Three passes, then a click. Sample 0 doubts everything (p 0.1 on the passes, 0.2 on the click), sample 1
        // tells them apart (0.4 and 0.9).
        FeedbackStep?[] Run(FeedbackTracker tracker)
        {
            var chain = Generation("g1", samples: 2);
            return [.. Enumerable.Range(0, 3).Select(i => tracker.Record(chain, $"pass{i}", Jazz, false, T0, [0.1, 0.4])),
                tracker.Record(chain, "click", Jazz, true, T0, [0.2, 0.9])];
        }

        // TrackRec's mean rewards the doubter at MinLabels already: (0.9 + 0.9) / 2 against (0.6 + 0.6) / 2.
        var accuracy = Run(Tracker(2));
        Assert.Equal(0, accuracy[1]!.Preference!.ChosenIndex);

        // Balanced: passes alone cannot tell a discriminating chain from a doubting one, so the record waits for the
        // click; then sample 0 earns (0.2 + 0.9) / 2 = 0.55 and sample 1 (0.9 + 0.6) / 2 = 0.75.
        var balanced = Run(Tracker(2, RewardRule.Balanced));
        Assert.All(balanced[..3], step => Assert.Null(step!.Preference));
        var preference = balanced[3]!.Preference;
        Assert.NotNull(preference);
        Assert.Equal(1, preference.ChosenIndex);
        Assert.Equal(0.75, preference.Chosen.MeanReward, 12);
        Assert.Equal(0.55, preference.Rejected.Single().MeanReward, 12);
        Assert.Equal(0.2, preference.Margin, 12);
        Assert.Equal(["pass0", "pass1", "pass2", "click"], preference.LabelImpressionIds);
    }

    [Fact]
    public void Scores_must_match_the_generation()
    {
        var tracker = Tracker(3);

        Assert.Throws<ArgumentException>(() => tracker.Record(Generation("g1"), "imp1", Jazz, true, T0, [0.5]));
    }
}
