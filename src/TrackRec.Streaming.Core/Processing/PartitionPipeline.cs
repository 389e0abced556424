using TrackRec.Streaming.Feedback;
using System.Diagnostics;
using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Outcomes;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// Everything the worker does for the users of one partition, in event time: update user state,
/// serve each impression a feature from the user's chain (rewriting the chain when stale), and label
/// impressions through the join as the partition's watermark advances. Plain C#: no Kafka, no model
/// runtime, one caller at a time. <typeparamref name="TSource"/> is the caller's handle of an input record.
/// </summary>
public sealed class PartitionPipeline<TSource>
{
    private readonly PipelineOptions _options;
    private readonly ChainWriter _writer;
    private readonly ChainRequestBuilder _requests;
    private readonly TimeProvider _time;
    private readonly PipelineCounters _counters;
    private readonly UserStateStore _users;
    private readonly ChainCache _chains;
    private readonly ImpressionJoin<TSource> _join;
    private readonly FeedbackTracker _feedback;
    // The validator's score for each open impression, kept until its label arrives (validator AUC).
    private readonly Dictionary<string, double> _scoredImpressions = new(StringComparer.Ordinal);

    /// <summary>Creates the pipeline of one partition.</summary>
    public PartitionPipeline(PipelineOptions options, IItemCatalog catalog, ChainWriter writer, TimeProvider time, PipelineCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(catalog);
        _options = options;
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _requests = new ChainRequestBuilder(catalog, writer.Options.HeldOutOutcomes);
        _chains = new ChainCache(options.Chains);
        // Prompts are rendered by the roles serving now, so the records match what the models saw.
        _feedback = new FeedbackTracker(options.Feedback, r => _writer.Roles.Generator.RenderPrompt(r), (d, i) => _writer.Roles.Validator.RenderPrompt(d, i));
        _users = new UserStateStore(options.UserState, evicted: userId =>
        {
            _chains.Remove(userId);
            _feedback.Forget(userId);
        });
        _join = new ImpressionJoin<TSource>(options.Attribution);
    }

    /// <summary>The highest event time seen: outcomes whose window + grace lie before it are final.</summary>
    public DateTimeOffset Watermark { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>The users of this partition.</summary>
    public UserStateStore Users => _users;

    /// <summary>The users' current chains, with every chain sampled in their generation.</summary>
    public ChainCache Chains => _chains;

    /// <summary>Impressions still waiting for an outcome.</summary>
    public int OpenImpressions => _join.OpenImpressions;

    /// <summary>Processes one event; the result lists what must be produced.</summary>
    public async ValueTask<PipelineResult<TSource>> ProcessAsync(BehaviourEvent e, TSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(e);
        var result = new PipelineResult<TSource>();
        var history = _users.GetOrCreate(e.UserId);
        switch (e)
        {
            case Impression impression:
                _counters.CountImpression();
                // The chain is written before the impression joins the history: the item being ranked
                // must never be in the generator's input.
                await ServeFeatureAsync(impression, history, source, result, cancellationToken).ConfigureAwait(false);
                history.Absorb(impression);
                result.AwaitsOutcome = true;
                if (_join.AddImpression(impression, source) is { } early)
                    await RecordAsync(early, result, cancellationToken).ConfigureAwait(false);
                break;
            case Click or Comment:
                if (e is Click)
                    _counters.CountClick();
                else
                    _counters.CountComment();
                history.Absorb(e);
                if (_join.AddEngagement(e) is { } resolved)
                    await RecordAsync(resolved, result, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"unknown event type {e.GetType().Name}", nameof(e));
        }

        if (e.EventTime > Watermark)
        {
            Watermark = e.EventTime;
            foreach (var expired in _join.AdvanceWatermark(Watermark))
                await RecordAsync(expired, result, cancellationToken).ConfigureAwait(false);
        }
        return result;
    }

    /// <summary>End of a bounded input (a drained demo stream, a finished replay): label every open impression.</summary>
    public async ValueTask<PipelineResult<TSource>> FlushAsync(CancellationToken cancellationToken)
    {
        var result = new PipelineResult<TSource>();
        foreach (var expired in _join.Flush(Watermark))
            await RecordAsync(expired, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async ValueTask ServeFeatureAsync(Impression impression, UserHistory history, TSource source, PipelineResult<TSource> result, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_options.Chains.GenerationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var request = _requests.Build(history, impression.EventTime);
        var chain = _chains.Find(impression.UserId);
        var served = ChainSource.Cached;
        var degraded = new List<string>();
        if (_chains.IsStale(chain, history.Version, impression.EventTime))
        {
            try
            {
                var generation = await Diagnostics.StreamActivities.TraceGenerationAsync(impression.UserId, () => _writer.WriteAsync(request, linked.Token)).ConfigureAwait(false);
                chain = generation.Chain;
                _chains.Put(chain);
                _counters.CountGeneration(generation);
                result.Chains.Add((chain, source));
                served = ChainSource.Fresh;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                // A failing or slow generator must not stall the partition: serve what we have, marked.
                degraded.Add("generator");
            }
        }
        else
        {
            _counters.CountCacheHit();
        }

        double? score = null;
        if (chain is not null)
        {
            // Whether fresh, cached or the previous chain served because regeneration failed, the feature
            // says which roles its chain was made without.
            degraded.AddRange(chain.DegradedRoles);
            try
            {
                score = await _writer.ScoreAsync(request, chain.AsDraft(), _requests.Describe(impression.ItemId), linked.Token).ConfigureAwait(false);
                if (impression.EventTime >= _counters.EvaluateFrom)
                    _scoredImpressions[impression.ImpressionId] = score.Value;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                degraded.Add("validator");
            }
        }

        if (degraded.Count > 0)
        {
            _counters.CountDegraded();
            served = ChainSource.Degraded;
        }
        var latency = served == ChainSource.Cached ? 0 : Elapsed(started);
        result.Features.Add((ChainFeature.For(impression, chain, served, latency, score, degraded.Distinct(StringComparer.Ordinal).ToList()), source));
    }

    private async ValueTask RecordAsync(JoinResult<TSource> resolved, PipelineResult<TSource> result, CancellationToken cancellationToken)
    {
        var outcome = resolved.Outcome;
        var clicked = outcome.Label == OutcomeLabel.Clicked;
        _counters.CountLabel(clicked);
        if (_scoredImpressions.Remove(outcome.ImpressionId, out var score))
            _counters.Validator.Add(score, clicked);
        var history = _users.Find(outcome.UserId);
        history?.Remember(new LabelledOutcome(outcome.ImpressionId, outcome.ItemId, clicked, outcome.ImpressionTime));
        result.Outcomes.Add(resolved);
        await FeedbackAsync(resolved, clicked, history, result, cancellationToken).ConfigureAwait(false);
    }

    // Feedback: every chain sampled in the user's current generation is scored on an outcome that arrived
    // after the selection (never on the held-out outcomes it was selected with). The rewards become
    // preference and validator records, and, past EvaluateFrom, tell whether best-of-n picked better
    // than sampling would have.
    private async ValueTask FeedbackAsync(JoinResult<TSource> resolved, bool clicked, UserHistory? history, PipelineResult<TSource> result, CancellationToken cancellationToken)
    {
        var outcome = resolved.Outcome;
        var chain = _chains.Find(outcome.UserId);
        var evaluate = outcome.ImpressionTime >= _counters.EvaluateFrom;
        if (history is null || chain is null || chain.Samples.Count == 0 || (!_options.Feedback.Enabled && !evaluate)
            || outcome.ImpressionTime < chain.GeneratedAt || chain.HeldOutImpressionIds.Contains(outcome.ImpressionId))
            return;
        var item = _requests.Describe(outcome.ItemId);
        var scores = new List<double>(chain.Samples.Count);
        try
        {
            using var timeout = new CancellationTokenSource(_options.Chains.GenerationTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            var request = _requests.Build(history, outcome.ImpressionTime);
            foreach (var sample in chain.Samples)
                scores.Add(await _writer.ScoreAsync(request, sample.Draft, item, linked.Token).ConfigureAwait(false));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // No scores, no rewards: the outcome is still labelled and published; only its training signal is lost.
            _counters.CountFeedbackLost();
            return;
        }

        if (evaluate)
            _counters.AddRewards(Rewards.Of(scores[chain.SelectedIndex], clicked), scores.Average(p => Rewards.Of(p, clicked)));
        if (!_options.Feedback.Enabled || _feedback.Record(chain, outcome.ImpressionId, item, clicked, outcome.ImpressionTime, scores) is not { } step)
            return;
        result.ValidatorRecords.Add((step.Validator, resolved.ImpressionSource));
        if (step.Preference is { } preference)
            result.Preferences.Add((preference, resolved.ImpressionSource));
        _counters.CountFeedback(step);
    }

    private double Elapsed(long started) => _time.GetElapsedTime(started).TotalMilliseconds;
}
