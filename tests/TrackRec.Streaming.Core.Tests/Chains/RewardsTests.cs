using TrackRec.Streaming.Chains;
using Xunit;

namespace TrackRec.Streaming.Tests.Chains;

public sealed class RewardsTests
{
    [Fact]
    public void The_accuracy_reward_is_the_plain_mean_in_arrival_order_to_the_last_bit()
    {
        // Summed by class first, ((0.44 + 0.51 + 0.78) + 0.63) / 4 is 0.59; summed in arrival order it is
        // 0.5900000000000001. Round figures in eval repeat only if the reward does not change its arithmetic.
        double[] scores = [0.37, 0.44, 0.51, 0.78];
        bool[] clicked = [false, true, true, true];
        var sequential = 0.0;
        for (var i = 0; i < scores.Length; i++)
            sequential += clicked[i] ? scores[i] : 1 - scores[i];

        Assert.Equal(sequential / 4, Rewards.Mean(RewardRule.Accuracy, scores, clicked));
        Assert.Equal(0.5900000000000001, Rewards.Mean(RewardRule.Accuracy, scores, clicked));
        var sums = new RewardSums(); // label by label, as a generation's feedback grows
        for (var i = 0; i < scores.Length; i++)
            sums.Add(scores[i], clicked[i]);
        Assert.Equal(0.5900000000000001, sums.Reward(RewardRule.Accuracy));
    }

    [Fact]
    public void The_balanced_reward_averages_the_class_means_and_needs_both_classes()
    {
        Assert.Equal((0.9 + (0.8 + 0.6) / 2) / 2, Rewards.Mean(RewardRule.Balanced, [0.9, 0.2, 0.4], [true, false, false])!.Value, 12);
        Assert.Null(Rewards.Mean(RewardRule.Balanced, [0.9, 0.7], [true, true]));
        Assert.Null(Rewards.Mean(RewardRule.Balanced, [0.1, 0.2], [false, false]));
        Assert.Null(new RewardSums().Reward(RewardRule.Accuracy));
    }
}
