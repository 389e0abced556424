using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Feedback;

/// <summary>
/// Turns labelled outcomes into training data for one partition's users (TrackRec's feedback): every
/// chain sampled in the user's current generation is rewarded on each outcome that arrives after it
/// (p for a click, 1-p otherwise, combined by the <see cref="RewardRule"/>); each outcome yields a validator record for the chain the user was
/// served, and once a generation has <see cref="FeedbackOptions.MinLabels"/> outcomes it yields one
/// preference record. Plain state, no I/O: the caller scores the chains and routes the records.
/// </summary>
/// <param name="generatorPrompt">The generator's prompt for a request (the serving generator's own rendering).</param>
/// <param name="validatorPrompt">The validator's question for a (chain, item).</param>
/// <param name="reward">How the outcomes' scores become a chain's reward (the writer's <see cref="GenerationOptions.Reward"/>).</param>
public sealed class FeedbackTracker(
    FeedbackOptions options,
    Func<ChainRequest, IReadOnlyList<PromptMessage>> generatorPrompt,
    Func<ChainDraft, CandidateItem, IReadOnlyList<PromptMessage>> validatorPrompt,
    RewardRule reward = RewardRule.Accuracy)
{
    private readonly FeedbackOptions _options = options ?? throw new ArgumentNullException(nameof(options));
    private readonly Func<ChainRequest, IReadOnlyList<PromptMessage>> _generatorPrompt = generatorPrompt ?? throw new ArgumentNullException(nameof(generatorPrompt));
    private readonly Func<ChainDraft, CandidateItem, IReadOnlyList<PromptMessage>> _validatorPrompt = validatorPrompt ?? throw new ArgumentNullException(nameof(validatorPrompt));
    private readonly Dictionary<string, GenerationFeedback> _users = new(StringComparer.Ordinal);

    /// <summary>Generations with rewards in progress.</summary>
    public int OpenGenerations => _users.Count;

    /// <summary>
    /// Records one outcome of <paramref name="chain"/>'s user, with the validator's p for the impressed item
    /// under each sampled chain (<paramref name="scores"/>, in sample order). Null when the outcome was
    /// already counted for this generation.
    /// </summary>
    public FeedbackStep? Record(Chain chain, string impressionId, CandidateItem item, bool clicked, DateTimeOffset impressionTime, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(scores);
        if (chain.Samples.Count == 0 || scores.Count != chain.Samples.Count)
            throw new ArgumentException($"{scores.Count} scores for a generation of {chain.Samples.Count} chains", nameof(scores));

        if (!_users.TryGetValue(chain.UserId, out var feedback) || feedback.GenerationId != chain.ChainId)
            _users[chain.UserId] = feedback = new GenerationFeedback(chain.ChainId, chain.Samples.Count);
        if (!feedback.Add(impressionId, scores, clicked))
            return null;

        var selected = chain.Samples[chain.SelectedIndex];
        var validator = new ValidatorRecord(
            impressionId, chain.ChainId, chain.UserId, selected.Index, selected.Draft, item, _validatorPrompt(selected.Draft, item), clicked,
            scores[chain.SelectedIndex], impressionTime, chain.Versions);
        return new FeedbackStep(validator, TryPreference(chain, feedback));
    }

    /// <summary>Forgets a user (evicted from state).</summary>
    public void Forget(string userId) => _users.Remove(userId);

    private PreferenceRecord? TryPreference(Chain chain, GenerationFeedback feedback)
    {
        if (feedback.Emitted || feedback.Labels.Count < _options.MinLabels || chain.Samples.Count < 2 || chain.Request is null)
            return null;
        var rewards = chain.Samples.Select(s => feedback.Reward(s.Index, reward)).ToList();
        if (rewards.Any(r => r is null))
            return null; // e.g. Balanced before both a click and a pass arrived: a later label may complete it
        var samples = chain.Samples.Select(s => new RewardedSample(s.Index, s.Draft, rewards[s.Index]!.Value)).ToList();
        // Best first; ties keep sampling order, so the record is the same on every run.
        var ranked = samples.OrderByDescending(s => s.MeanReward).ThenBy(s => s.Index).ToList();
        if (ranked[0].MeanReward - ranked[^1].MeanReward <= 1e-12)
            return null; // every chain earned the same: no preference to learn yet; a later label may separate them
        feedback.Emitted = true;
        var rejected = ranked.Skip(1).ToList();
        return new PreferenceRecord(
            chain.ChainId,
            chain.UserId,
            chain.Request,
            _generatorPrompt(chain.Request),
            samples,
            ranked[0].Index,
            rejected.Select(s => s.Index).ToList(),
            ranked[0].MeanReward - rejected.Average(s => s.MeanReward),
            feedback.Labels.ToList(),
            chain.Versions);
    }
}
