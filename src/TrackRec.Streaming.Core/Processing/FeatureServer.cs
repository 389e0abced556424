using System.Collections.Concurrent;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Lanes;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// The fast lane's rule, in one place for the worker and evaluation: each impression's feature is served from the
/// chain in hand (current, stale or none) plus the per-impression scorer's score, and a stale or missing chain is
/// asked of the slow lane, unless the user is backing off after a degraded generation or a generation of theirs is
/// already running. Live mode waits at most <see cref="LaneOptions.FreshWait"/> for it, and only when the lane would
/// start it at once (<see cref="SlowLane.WouldStartNow"/>); deterministic mode waits
/// for it. Completions come back through an inbox (any thread) and are applied on the caller's thread: the cache,
/// the backoff and the counters are one partition's, one caller at a time.
/// </summary>
public sealed class FeatureServer
{
    private readonly ChainCache _chains;
    private readonly GenerationOrchestrator _writer;
    private readonly SlowLane _lane;
    private readonly LaneMode _mode;
    private readonly TimeSpan _freshWait;
    private readonly ChainFreshnessOptions _freshness;
    private readonly UserBackoff _backoff;
    private readonly TimeProvider _time;
    private readonly PipelineCounters? _counters;
    private readonly ConcurrentQueue<GenerationCompletion> _inbox = new();
    // The user's newest ticket until its completion is applied: a queued one may be superseded, a running one is waited for.
    private readonly Dictionary<string, GenerationTicket> _outstanding = new(StringComparer.Ordinal);

    /// <summary>Creates the server of one partition (or one evaluation lane).</summary>
    public FeatureServer(ChainCache chains, GenerationOrchestrator writer, SlowLane lane, LaneMode mode, TimeSpan freshWait, ChainFreshnessOptions freshness, UserBackoff backoff, TimeProvider time, PipelineCounters? counters = null)
    {
        _chains = chains ?? throw new ArgumentNullException(nameof(chains));
        _writer = writer ?? throw new ArgumentNullException(nameof(writer));
        _lane = lane ?? throw new ArgumentNullException(nameof(lane));
        _mode = mode;
        _freshWait = freshWait;
        _freshness = freshness ?? throw new ArgumentNullException(nameof(freshness));
        _backoff = backoff ?? throw new ArgumentNullException(nameof(backoff));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _counters = counters;
    }

    /// <summary>Called on a lane thread when a completion is waiting in the inbox (the partition's loop wakes to apply it).</summary>
    public Action? Wake { get; set; }

    /// <summary>True when completions wait to be applied.</summary>
    public bool HasCompletions => !_inbox.IsEmpty;

    /// <summary>Generations asked for and not yet applied.</summary>
    public int Outstanding => _outstanding.Count;

    /// <summary>The users' chains.</summary>
    public ChainCache Chains => _chains;

    /// <summary>Serves <paramref name="impression"/> from the user's chain, asking for a new one when it is stale.</summary>
    /// <param name="impression">The impression.</param>
    /// <param name="request">The user's request as of the impression (history before it).</param>
    /// <param name="item">The impressed item, for the score.</param>
    /// <param name="trigger">The caller's handle of the impression's record (held until a generation it asks for is applied).</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async ValueTask<ServedFeature> ServeAsync(Impression impression, ChainRequest request, CandidateItem item, object? trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(impression);
        ArgumentNullException.ThrowIfNull(request);
        var applied = new List<AppliedGeneration>();
        ApplyInbox(applied);
        var userId = impression.UserId;
        var chain = _chains.Find(userId);
        var stale = _chains.IsStale(chain, request.HistoryVersion, impression.EventTime);
        GenerationTicket? ticket = null;
        if (stale && _backoff.MayRetry(userId) && !IsRunning(userId))
            ticket = await RequestAsync(request, chain, impression.EventTime, trigger, cancellationToken).ConfigureAwait(false);
        if (ticket is not null)
            ApplyInbox(applied);

        chain = _chains.Find(userId);
        var fresh = ticket is { Done.IsCompletedSuccessfully: true } && ReferenceEquals(ticket.Done.Result.Generation?.Chain, chain) && chain is not null;
        ChainSource source;
        if (fresh)
            source = ChainSource.Fresh;
        else if (chain is null)
            source = ChainSource.None;
        else if (_chains.IsStale(chain, request.HistoryVersion, impression.EventTime))
            source = ChainSource.Stale;
        else
            source = ChainSource.Cached;

        // The feature names every role its chain was made without, and the generator when the user's last try failed.
        var degraded = new List<string>(_backoff.FailedRoles(userId));
        // A chain that needs rewriting while the endpoint's circuit is open will not be rewritten soon: say so.
        if (source is ChainSource.Stale or ChainSource.None && !_lane.GateOpen && !degraded.Contains("generator"))
            degraded.Add("generator");
        double? score = null;
        if (chain is not null)
        {
            degraded.AddRange(chain.DegradedRoles);
            try
            {
                using var timeout = new CancellationTokenSource(_freshness.GenerationTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
                score = await _writer.ScoreImpressionAsync(request, chain.AsDraft(), item, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                degraded.Add("validator");
            }
        }
        if (degraded.Count > 0)
            source = ChainSource.Degraded;
        _counters?.CountServed(source);
        var latency = ticket is { Done.IsCompletedSuccessfully: true } ? ticket.Done.Result.Elapsed.TotalMilliseconds : 0;
        var feature = ChainFeature.For(impression, chain, source, latency, score, degraded.Distinct(StringComparer.Ordinal).ToList());
        return new ServedFeature(feature, ticket?.Trigger is not null, applied);
    }

    /// <summary>Applies the completions in the inbox (on the caller's thread).</summary>
    public IReadOnlyList<AppliedGeneration> Drain()
    {
        var applied = new List<AppliedGeneration>();
        ApplyInbox(applied);
        return applied;
    }

    /// <summary>
    /// Waits for every generation asked for and applies them (end of a bounded input). Queued tickets are dropped
    /// when the gate is closed, so a down endpoint cannot hold the end of a run.
    /// </summary>
    public async Task<IReadOnlyList<AppliedGeneration>> DrainAllAsync(TimeSpan poll, CancellationToken cancellationToken)
    {
        var applied = new List<AppliedGeneration>();
        while (true)
        {
            ApplyInbox(applied);
            var pending = _outstanding.Values.Select(t => t.Done).ToList();
            if (pending.Count == 0)
                return applied;
            if (!_lane.GateOpen)
                _lane.Queue.RemoveOwner(this);
            await Task.WhenAny(Task.WhenAll(pending), Task.Delay(poll, _time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Drops this server's queued tickets (its partition was revoked).</summary>
    public void Abandon() => _lane.Queue.RemoveOwner(this);

    /// <summary>Forgets a user (evicted from state).</summary>
    public void Forget(string userId)
    {
        _chains.Remove(userId);
        _backoff.Forget(userId);
    }

    private bool IsRunning(string userId) =>
        _outstanding.TryGetValue(userId, out var t) && (t.Started || t.Done.IsCompleted);

    private async ValueTask<GenerationTicket?> RequestAsync(ChainRequest request, Chain? chain, DateTimeOffset now, object? trigger, CancellationToken cancellationToken)
    {
        var priority = new GenerationPriority(
            chain is not null,
            chain is null ? double.PositiveInfinity : Math.Max((request.HistoryVersion - chain.HistoryVersion) / (double)_freshness.MaxNewEvents, (now - chain.GeneratedAt) / _freshness.TimeToLive),
            chain is null ? request.HistoryVersion : request.HistoryVersion - chain.HistoryVersion,
            _lane.Queue.NextSequence());
        // Deterministic mode finishes the generation within this call, so nothing is held for it.
        var ticket = new GenerationTicket(request, priority, this, _mode == LaneMode.Deterministic ? null : trigger, Post, _time.GetTimestamp());
        if (_mode == LaneMode.Deterministic)
        {
            _outstanding[request.UserId] = ticket;
            await _lane.RunNowAsync(ticket, cancellationToken).ConfigureAwait(false);
            return ticket;
        }
        // Decided before the ticket joins the queue: a fresh wait behind other tickets (a backed-up lane, a slow
        // encoder) held every stale impression's partition for the full wait and served it stale anyway; at 5k
        // impressions/s with MiniLM it cut the worker to 2.4k/s with a p50 of 12 s.
        var wait = _freshWait > TimeSpan.Zero && _lane.WouldStartNow;
        if (!_lane.Queue.TryEnqueue(ticket))
        {
            _counters?.CountShed();
            return null;
        }
        _outstanding[request.UserId] = ticket;
        if (wait)
            await Task.WhenAny(ticket.Done, Task.Delay(_freshWait, _time, cancellationToken)).ConfigureAwait(false);
        return ticket;
    }

    private void Post(GenerationCompletion completion)
    {
        _inbox.Enqueue(completion);
        Wake?.Invoke();
    }

    private void ApplyInbox(List<AppliedGeneration> applied)
    {
        while (_inbox.TryDequeue(out var completion))
            applied.Add(Apply(completion));
    }

    private AppliedGeneration Apply(GenerationCompletion completion)
    {
        var ticket = completion.Ticket;
        var userId = ticket.UserId;
        if (_outstanding.TryGetValue(userId, out var current) && ReferenceEquals(current, ticket))
            _outstanding.Remove(userId);
        if (completion.Superseded)
            return new AppliedGeneration(completion, null);
        if (completion.Generation is not { } generation)
        {
            _backoff.Fail(userId, ["generator"]);
            _counters?.CountFailedGeneration();
            return new AppliedGeneration(completion, null);
        }
        var chain = generation.Chain;
        _counters?.CountGeneration(generation);
        if (generation.Degraded)
            _backoff.Fail(userId, []); // the chain names its own degraded roles
        else
            _backoff.Succeed(userId);
        // A chain written from an older history than the cached one (two generations raced) is published, not served.
        var cached = _chains.Find(userId);
        if (cached is null || cached.HistoryVersion <= chain.HistoryVersion)
            _chains.Put(chain);
        return new AppliedGeneration(completion, chain);
    }
}
