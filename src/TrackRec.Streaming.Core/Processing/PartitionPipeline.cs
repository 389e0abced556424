using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Lanes;
using TrackRec.Streaming.Outcomes;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// Everything the worker does for the users of one partition, in event time: update user state, serve each
/// impression a feature from the chain in hand (<see cref="FeatureServer"/>, the fast lane), hand stale chains and
/// outcome scoring to the <see cref="SlowLane"/>, and label impressions through the join as the watermark
/// advances. Plain C#: no Kafka, no model runtime, one caller at a time. <typeparamref name="TOrigin"/> is the
/// caller's handle of an input record.
/// </summary>
public sealed class PartitionPipeline<TOrigin>
{
    private readonly PipelineOptions _options;
    private readonly LaneMode _mode;
    private readonly GenerationOrchestrator _writer;
    private readonly ChainRequestBuilder _requests;
    private readonly TimeProvider _time;
    private readonly PipelineCounters _counters;
    private readonly SlowLane _lane;
    private readonly ImpressionLabeller<TOrigin> _labeller;
    private readonly FeatureServer _features;
    private readonly FeedbackTracker _feedback;
    // Outcomes being scored in the slow lane, applied in the order they resolved so the training records are too.
    private readonly Queue<PendingFeedback> _pendingFeedback = new();
    // The validator's score for each open impression, kept until its label arrives (validator AUC).
    private readonly Dictionary<string, double> _scoredImpressions = new(StringComparer.Ordinal);
    private Action? _wake;

    /// <summary>Creates the pipeline of one partition in deterministic mode, on a lane of its own (tests, offline passes).</summary>
    public PartitionPipeline(PipelineOptions options, IItemCatalog catalog, GenerationOrchestrator writer, TimeProvider time, PipelineCounters counters)
        : this(options, catalog, writer, time, counters, SlowLane.Inline(writer, (options ?? throw new ArgumentNullException(nameof(options))).Chains.GenerationTimeout, time), new LaneOptions { Mode = LaneMode.Deterministic })
    {
    }

    /// <summary>Creates the pipeline of one partition on the worker's shared <paramref name="lane"/>.</summary>
    public PartitionPipeline(PipelineOptions options, IItemCatalog catalog, GenerationOrchestrator writer, TimeProvider time, PipelineCounters counters, SlowLane lane, LaneOptions lanes)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(lanes);
        _options = options;
        _mode = lanes.Mode;
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _lane = lane ?? throw new ArgumentNullException(nameof(lane));
        _requests = new ChainRequestBuilder(catalog, writer.Options.HeldOutOutcomes);
        _features = new FeatureServer(new ChainCache(options.Chains), writer, lane, lanes.Mode, lanes.FreshWait ?? TimeSpan.Zero, options.Chains,
            new UserBackoff(lanes.RetryBackoff, lanes.MaxRetryBackoff, time), time, counters);
        // Prompts are rendered by the roles serving now, so the records match what the models saw.
        _feedback = new FeedbackTracker(options.Feedback, r => _writer.Roles.Generator.RenderPrompt(r), (d, i) => _writer.Roles.Validator.RenderPrompt(d, i), writer.Options.Reward);
        _labeller = new ImpressionLabeller<TOrigin>(options.UserState, options.Attribution, evicted: userId =>
        {
            _features.Forget(userId);
            _feedback.Forget(userId);
        });
        GatePoll = lanes.GatePollInterval;
    }

    /// <summary>The highest event time seen: outcomes whose window + grace lie before it are final.</summary>
    public DateTimeOffset Watermark => _labeller.Watermark;

    /// <summary>The users of this partition.</summary>
    public UserStateStore Users => _labeller.Users;

    /// <summary>The users' current chains, with every chain sampled in their generation.</summary>
    public ChainCache Chains => _features.Chains;

    /// <summary>Impressions still waiting for an outcome.</summary>
    public int OpenImpressions => _labeller.OpenImpressions;

    /// <summary>
    /// Called from a lane thread when slow-lane work of this partition finished: the caller's loop should call
    /// <see cref="Drain"/> soon, to publish the chains and release what was held.
    /// </summary>
    public Action? Wake
    {
        get => _wake;
        set
        {
            _wake = value;
            _features.Wake = value;
        }
    }

    /// <summary>True when finished slow-lane work waits to be taken in.</summary>
    public bool HasCompletions => _features.HasCompletions || (_pendingFeedback.TryPeek(out var head) && head.Job.IsComplete);

    private TimeSpan GatePoll { get; }

    /// <summary>Processes one event; the result lists what must be produced.</summary>
    public async ValueTask<PipelineResult<TOrigin>> ProcessAsync(BehaviourEvent e, TOrigin origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        var result = new PipelineResult<TOrigin>();
        TakeCompletions(result);
        var history = _labeller.HistoryOf(e);
        switch (e)
        {
            case Impression impression:
                _counters.CountImpression();
                // The feature is served before the impression joins the history: the item being ranked must never
                // be in the generator's input.
                await ServeFeatureAsync(impression, history, origin, result, cancellationToken).ConfigureAwait(false);
                result.AwaitsOutcome = true;
                break;
            case Click:
                _counters.CountClick();
                break;
            case Comment:
                _counters.CountComment();
                break;
            default:
                throw new ArgumentException($"unknown event type {e.GetType().Name}", nameof(e));
        }
        foreach (var resolved in _labeller.Absorb(e, origin))
            await RecordAsync(resolved, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Takes in finished slow-lane work: chains to publish, training records, holds to release.</summary>
    public PipelineResult<TOrigin> Drain()
    {
        var result = new PipelineResult<TOrigin>();
        TakeCompletions(result);
        return result;
    }

    /// <summary>
    /// End of a bounded input (a drained demo stream, a finished replay): label every open impression, then wait for
    /// the slow lane's work of this partition and take it in.
    /// </summary>
    public async ValueTask<PipelineResult<TOrigin>> FlushAsync(CancellationToken cancellationToken)
    {
        var result = new PipelineResult<TOrigin>();
        TakeCompletions(result);
        foreach (var expired in _labeller.Flush())
            await RecordAsync(expired, result, cancellationToken).ConfigureAwait(false);
        await SettleAsync(result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Waits for the slow lane's work of this partition (generations asked for, outcomes being scored) and takes it
    /// in, without labelling anything: before a graceful stop, so the last commit covers it.
    /// </summary>
    public async ValueTask<PipelineResult<TOrigin>> SettleAsync(CancellationToken cancellationToken)
    {
        var result = new PipelineResult<TOrigin>();
        await SettleAsync(result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task SettleAsync(PipelineResult<TOrigin> result, CancellationToken cancellationToken)
    {
        AddApplied(await _features.DrainAllAsync(GatePoll, cancellationToken).ConfigureAwait(false), result);
        while (_pendingFeedback.TryPeek(out var head))
        {
            await head.Job.Done.WaitAsync(cancellationToken).ConfigureAwait(false);
            TakeFeedback(result);
        }
    }

    /// <summary>The partition was revoked: its queued generations are dropped.</summary>
    public void Abandon() => _features.Abandon();

    private void TakeCompletions(PipelineResult<TOrigin> result)
    {
        AddApplied(_features.Drain(), result);
        TakeFeedback(result);
    }

    // A live generation's chain is attributed to the record that asked for it (held until now); a deterministic
    // one, which held nothing, to the record being processed.
    private static void AddApplied(IReadOnlyList<AppliedGeneration> applied, PipelineResult<TOrigin> result, TOrigin? current = default)
    {
        foreach (var a in applied)
        {
            if (a.Trigger is TOrigin held)
            {
                if (a.Chain is not null)
                    result.Chains.Add((a.Chain, held));
                result.Releases.Add(held);
            }
            else if (a.Chain is not null)
            {
                result.Chains.Add((a.Chain, current!));
            }
        }
    }

    private async ValueTask ServeFeatureAsync(Impression impression, UserHistory history, TOrigin origin, PipelineResult<TOrigin> result, CancellationToken cancellationToken)
    {
        var request = _requests.Build(history, impression.EventTime);
        var served = await _features.ServeAsync(impression, request, _requests.Describe(impression.ItemId), origin, cancellationToken).ConfigureAwait(false);
        if (served.Requested)
            result.Holds.Add(origin);
        AddApplied(served.Applied, result, origin);
        var feature = served.Feature;
        if (feature.ValidatorScore is { } score && impression.EventTime >= _counters.EvaluateFrom)
            _scoredImpressions[impression.ImpressionId] = score;
        result.Features.Add((feature, origin));
    }

    private async ValueTask RecordAsync(JoinResult<TOrigin> resolved, PipelineResult<TOrigin> result, CancellationToken cancellationToken)
    {
        var outcome = resolved.Outcome;
        var (clicked, history) = _labeller.Label(resolved);
        _counters.CountLabel(clicked);
        if (_scoredImpressions.Remove(outcome.ImpressionId, out var score))
            _counters.Validator.Add(score, clicked);
        result.Outcomes.Add(resolved);
        await FeedbackAsync(resolved, clicked, history, result, cancellationToken).ConfigureAwait(false);
    }

    // Feedback: every chain sampled in the user's current generation is scored on an outcome that arrived after the
    // selection (never on the held-out outcomes it was selected with). The scoring runs in the slow lane; the
    // rewards become preference and validator records, and, past EvaluateFrom, tell whether best-of-n picked better
    // than sampling would have.
    private async ValueTask FeedbackAsync(JoinResult<TOrigin> resolved, bool clicked, UserHistory? history, PipelineResult<TOrigin> result, CancellationToken cancellationToken)
    {
        var outcome = resolved.Outcome;
        var chain = _features.Chains.Find(outcome.UserId);
        var evaluate = outcome.ImpressionTime >= _counters.EvaluateFrom;
        if (history is null || chain is null || chain.Samples.Count == 0 || (!_options.Feedback.Enabled && !evaluate)
            || outcome.ImpressionTime < chain.GeneratedAt || chain.HeldOutImpressionIds.Contains(outcome.ImpressionId))
            return;
        var job = new FeedbackJob(chain, _requests.Build(history, outcome.ImpressionTime), _requests.Describe(outcome.ItemId), _mode == LaneMode.Live ? () => _wake?.Invoke() : null);
        var pending = new PendingFeedback(job, resolved, clicked, evaluate, Held: _mode == LaneMode.Live);
        _pendingFeedback.Enqueue(pending);
        if (_mode == LaneMode.Deterministic)
        {
            await _lane.ScoreNowAsync(job, cancellationToken).ConfigureAwait(false);
            TakeFeedback(result);
            return;
        }
        result.Holds.Add(resolved.ImpressionOrigin); // until its training records are in the open batch
        _lane.Submit(job);
    }

    private void TakeFeedback(PipelineResult<TOrigin> result)
    {
        while (_pendingFeedback.TryPeek(out var head) && head.Job.IsComplete)
        {
            _pendingFeedback.Dequeue();
            Reward(head, result);
            if (head.Held)
                result.Releases.Add(head.Resolved.ImpressionOrigin);
        }
    }

    private void Reward(PendingFeedback pending, PipelineResult<TOrigin> result)
    {
        var (job, resolved, clicked, evaluate, _) = pending;
        if (job.Scores is not { } scores)
        {
            // No scores, no rewards: the outcome is still labelled and published; only its training signal is lost.
            _counters.CountFeedbackLost();
            return;
        }
        var chain = job.Chain;
        if (evaluate)
            _counters.AddRewards(Rewards.Of(scores[chain.SelectedIndex], clicked), scores.Average(p => Rewards.Of(p, clicked)));
        if (!_options.Feedback.Enabled || _feedback.Record(chain, resolved.Outcome.ImpressionId, job.Item, clicked, resolved.Outcome.ImpressionTime, scores) is not { } step)
            return;
        result.ValidatorRecords.Add((step.Validator, resolved.ImpressionOrigin));
        if (step.Preference is { } preference)
            result.Preferences.Add((preference, resolved.ImpressionOrigin));
        _counters.CountFeedback(step);
    }

    private sealed record PendingFeedback(FeedbackJob Job, JoinResult<TOrigin> Resolved, bool Clicked, bool Evaluate, bool Held);
}
