namespace TrackRec.Streaming.Chains;

/// <summary>Running per-class reward sums of one chain, so a reward can grow label by label.</summary>
public struct RewardSums
{
    // The plain sum in arrival order, beside the class sums: summing the classes apart and adding them would
    // change the Accuracy reward in its last bits, and a near tie between two chains then ranks them otherwise.
    private double _all;
    private double _clicked;
    private double _passed;
    private int _clicks;
    private int _passes;

    /// <summary>Outcomes added.</summary>
    public readonly int Count => _clicks + _passes;

    /// <summary>Adds the score on one labelled outcome.</summary>
    public void Add(double p, bool clicked)
    {
        var reward = Rewards.Of(p, clicked);
        _all += reward;
        if (clicked)
        {
            _clicked += reward;
            _clicks++;
        }
        else
        {
            _passed += reward;
            _passes++;
        }
    }

    /// <summary>The reward so far under <paramref name="rule"/>; null with no outcome, or under Balanced until both classes are in.</summary>
    public readonly double? Reward(RewardRule rule) => rule switch
    {
        _ when Count == 0 => null,
        RewardRule.Accuracy => _all / Count,
        RewardRule.Balanced => _clicks == 0 || _passes == 0 ? null : (_clicked / _clicks + _passed / _passes) / 2,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown reward rule"),
    };
}
