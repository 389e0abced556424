namespace TrackRec.Streaming.Feedback;

/// <summary>The rewards a user's current generation has earned so far: one running sum per sampled chain.</summary>
internal sealed class GenerationFeedback(string generationId, int samples)
{
    private readonly double[] _rewardSums = new double[samples];
    private readonly List<string> _labels = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public string GenerationId { get; } = generationId;

    public IReadOnlyList<string> Labels => _labels;

    /// <summary>True once the generation's preference record was emitted (one per generation).</summary>
    public bool Emitted { get; set; }

    /// <summary>Adds one labelled outcome's rewards; false when that impression was already counted.</summary>
    public bool Add(string impressionId, IReadOnlyList<double> rewards)
    {
        if (rewards.Count != _rewardSums.Length)
            throw new ArgumentException($"{rewards.Count} rewards for a generation of {_rewardSums.Length} chains", nameof(rewards));
        if (!_seen.Add(impressionId))
            return false;
        for (var i = 0; i < rewards.Count; i++)
            _rewardSums[i] += rewards[i];
        _labels.Add(impressionId);
        return true;
    }

    public double MeanReward(int index) => _rewardSums[index] / _labels.Count;
}
