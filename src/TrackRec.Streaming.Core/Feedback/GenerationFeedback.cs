using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Feedback;

/// <summary>The rewards a user's current generation has earned so far: one running sum per sampled chain.</summary>
internal sealed class GenerationFeedback(string generationId, int samples)
{
    private readonly RewardSums[] _rewardSums = new RewardSums[samples];
    private readonly List<string> _labels = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public string GenerationId { get; } = generationId;

    public IReadOnlyList<string> Labels => _labels;

    /// <summary>True once the generation's preference record was emitted (one per generation).</summary>
    public bool Emitted { get; set; }

    /// <summary>Adds one labelled outcome's validator scores, one per chain; false when that impression was already counted.</summary>
    public bool Add(string impressionId, IReadOnlyList<double> scores, bool clicked)
    {
        if (scores.Count != _rewardSums.Length)
            throw new ArgumentException($"{scores.Count} scores for a generation of {_rewardSums.Length} chains", nameof(scores));
        if (!_seen.Add(impressionId))
            return false;
        for (var i = 0; i < scores.Count; i++)
            _rewardSums[i].Add(scores[i], clicked);
        _labels.Add(impressionId);
        return true;
    }

    /// <summary>The chain's reward so far under <paramref name="rule"/>, or null where the rule has none yet.</summary>
    public double? Reward(int index, RewardRule rule) => _rewardSums[index].Reward(rule);
}
