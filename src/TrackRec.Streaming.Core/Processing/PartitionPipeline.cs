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
    private readonly IItemCatalog _catalog;
    private readonly IChainGenerator _generator;
    private readonly TimeProvider _time;
    private readonly PipelineCounters _counters;
    private readonly UserStateStore _users;
    private readonly ChainCache _chains;
    private readonly ImpressionJoin<TSource> _join;

    /// <summary>Creates the pipeline of one partition.</summary>
    public PartitionPipeline(PipelineOptions options, IItemCatalog catalog, IChainGenerator generator, TimeProvider time, PipelineCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _generator = generator ?? throw new ArgumentNullException(nameof(generator));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _chains = new ChainCache(options.Chains);
        _users = new UserStateStore(options.UserState, evicted: _chains.Remove);
        _join = new ImpressionJoin<TSource>(options.Attribution);
    }

    /// <summary>The highest event time seen: outcomes whose window + grace lie before it are final.</summary>
    public DateTimeOffset Watermark { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>The users of this partition.</summary>
    public UserStateStore Users => _users;

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
                    Record(early, result);
                break;
            case Click or Comment:
                if (e is Click)
                    _counters.CountClick();
                else
                    _counters.CountComment();
                history.Absorb(e);
                if (_join.AddEngagement(e) is { } resolved)
                    Record(resolved, result);
                break;
            default:
                throw new ArgumentException($"unknown event type {e.GetType().Name}", nameof(e));
        }

        if (e.EventTime > Watermark)
        {
            Watermark = e.EventTime;
            foreach (var expired in _join.AdvanceWatermark(Watermark))
                Record(expired, result);
        }
        return result;
    }

    /// <summary>End of a bounded input (a drained demo stream, a finished replay): label every open impression.</summary>
    public PipelineResult<TSource> Flush()
    {
        var result = new PipelineResult<TSource>();
        foreach (var expired in _join.Flush(Watermark))
            Record(expired, result);
        return result;
    }

    private async ValueTask ServeFeatureAsync(Impression impression, UserHistory history, TSource source, PipelineResult<TSource> result, CancellationToken cancellationToken)
    {
        var cached = _chains.Find(impression.UserId);
        if (!_chains.IsStale(cached, history.Version, impression.EventTime))
        {
            _counters.CountCacheHit();
            result.Features.Add((ChainFeature.For(impression, cached, ChainSource.Cached, 0), source));
            return;
        }

        var started = _time.GetTimestamp();
        try
        {
            using var timeout = new CancellationTokenSource(_options.Chains.GenerationTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            var chain = await _generator.GenerateAsync(BuildRequest(history, impression.EventTime), linked.Token).ConfigureAwait(false);
            _chains.Put(chain);
            _counters.CountChainGenerated();
            result.Chains.Add((chain, source));
            result.Features.Add((ChainFeature.For(impression, chain, ChainSource.Fresh, Elapsed(started)), source));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // A failing or slow generator must not stall the partition: serve what we have, marked.
            _counters.CountDegraded();
            result.Features.Add((ChainFeature.For(impression, cached, ChainSource.Degraded, Elapsed(started)), source));
        }
    }

    private ChainRequest BuildRequest(UserHistory history, DateTimeOffset asOf)
    {
        var views = new List<HistoryItemView>(history.Entries.Count);
        foreach (var entry in history.Entries)
        {
            var item = _catalog.Find(entry.ItemId);
            views.Add(new HistoryItemView(entry.ItemId, item?.Title, item?.Categories ?? [], entry.Signal, entry.Time, entry.Text));
        }
        return new ChainRequest(history.UserId, views, history.Version, asOf);
    }

    private void Record(JoinResult<TSource> resolved, PipelineResult<TSource> result)
    {
        var outcome = resolved.Outcome;
        _counters.CountLabel(outcome.Label == OutcomeLabel.Clicked);
        _users.Find(outcome.UserId)?.Remember(new LabelledOutcome(outcome.ImpressionId, outcome.ItemId, outcome.Label == OutcomeLabel.Clicked, outcome.ImpressionTime));
        result.Outcomes.Add(resolved);
    }

    private double Elapsed(long started) => _time.GetElapsedTime(started).TotalMilliseconds;
}
