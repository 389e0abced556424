using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Outcomes;

/// <summary>
/// The impression -> outcome join of one partition, in event time. An impression is labelled clicked
/// when a click (or a comment) for it arrives within the attribution window, and not clicked once the
/// watermark passes impression time + window + grace. Each impression gets exactly one outcome.
/// <typeparamref name="TOrigin"/> is an opaque handle of the impression's input record, carried through
/// to its outcome so the caller can tell when that record's work is finished.
/// </summary>
public sealed class ImpressionJoin<TOrigin>
{
    private readonly AttributionOptions _options;
    private readonly Dictionary<string, Pending> _byImpressionId = new(StringComparer.Ordinal);
    // Open impressions per (user, item), newest last: clicks without an impression id go to the latest one.
    private readonly Dictionary<(string User, string Item), List<Pending>> _byUserItem = new();
    // Open impressions in order of their deadline, so advancing the watermark touches only expired ones.
    private readonly PriorityQueue<Pending, DateTimeOffset> _deadlines = new();
    // Clicks that arrived before their impression; kept until the watermark passes click time + grace.
    private readonly List<BehaviourEvent> _orphans = [];
    // Impressions already labelled, remembered until their deadline passes, so a redelivered impression
    // (an upstream retry) is not labelled a second time. Bounded by the window's worth of impressions.
    private readonly Dictionary<string, DateTimeOffset> _resolved = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _resolvedExpiry = new();

    /// <summary>Creates an empty join.</summary>
    public ImpressionJoin(AttributionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Impressions still waiting for their outcome.</summary>
    public int OpenImpressions => _byImpressionId.Count;

    /// <summary>Clicks and comments waiting for an impression that has not arrived yet.</summary>
    public int OrphanSignals => _orphans.Count;

    /// <summary>Engagements that matched no impression and expired (counted for observability).</summary>
    public long UnattributedSignals { get; private set; }

    /// <summary>Opens an impression. Returns its outcome at once if an early click already matches it.</summary>
    public JoinResult<TOrigin>? AddImpression(Impression impression, TOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(impression);
        if (_byImpressionId.ContainsKey(impression.ImpressionId) || _resolved.ContainsKey(impression.ImpressionId))
            return null; // a duplicate delivery; its outcome is owed (or was given) once
        var pending = new Pending(impression, origin);
        for (var i = 0; i < _orphans.Count; i++)
        {
            if (Matches(_orphans[i], impression))
            {
                var early = _orphans[i];
                _orphans.RemoveAt(i);
                return Resolve(pending, early, registered: false);
            }
        }
        _byImpressionId.Add(impression.ImpressionId, pending);
        var key = (impression.UserId, impression.ItemId);
        if (!_byUserItem.TryGetValue(key, out var list))
            _byUserItem[key] = list = [];
        list.Add(pending);
        _deadlines.Enqueue(pending, Deadline(impression));
        return null;
    }

    /// <summary>
    /// Applies a click or a comment. Returns the outcome of the impression it resolves, or null when it
    /// matches none yet (it is then kept as an orphan until the watermark passes its time + grace).
    /// </summary>
    public JoinResult<TOrigin>? AddEngagement(BehaviourEvent engagement)
    {
        ArgumentNullException.ThrowIfNull(engagement);
        if (engagement is not (Click or Comment))
            throw new ArgumentException("only clicks and comments engage", nameof(engagement));
        var match = FindOpen(engagement);
        if (match is not null)
            return Resolve(match, engagement, registered: true);
        // Either early (its impression is still on the way) or late for an impression already resolved;
        // both wait as orphans, and the late ones expire unattributed without a second label.
        _orphans.Add(engagement);
        return null;
    }

    /// <summary>Labels every open impression whose window + grace the watermark has passed as not clicked.</summary>
    public IReadOnlyList<JoinResult<TOrigin>> AdvanceWatermark(DateTimeOffset watermark)
    {
        List<JoinResult<TOrigin>>? expired = null;
        while (_deadlines.TryPeek(out var pending, out var deadline) && deadline < watermark)
        {
            _deadlines.Dequeue();
            if (pending.Resolved)
                continue;
            (expired ??= []).Add(Resolve(pending, engagement: null, registered: true, watermark));
        }
        if (_orphans.Count > 0)
            UnattributedSignals += _orphans.RemoveAll(o => o.EventTime + _options.Grace < watermark);
        while (_resolvedExpiry.TryPeek(out var id, out var until) && until < watermark)
        {
            _resolvedExpiry.Dequeue();
            _resolved.Remove(id);
        }
        return expired ?? (IReadOnlyList<JoinResult<TOrigin>>)[];
    }

    /// <summary>End of a bounded input: every open impression is labelled not clicked.</summary>
    public IReadOnlyList<JoinResult<TOrigin>> Flush(DateTimeOffset watermark)
    {
        var results = new List<JoinResult<TOrigin>>();
        while (_deadlines.TryDequeue(out var pending, out _))
        {
            if (!pending.Resolved)
                results.Add(Resolve(pending, engagement: null, registered: true, watermark));
        }
        UnattributedSignals += _orphans.Count;
        _orphans.Clear();
        return results;
    }

    private DateTimeOffset Deadline(Impression impression) => impression.EventTime + _options.Window + _options.Grace;

    private bool Matches(BehaviourEvent engagement, Impression impression)
    {
        if (engagement is Click { ImpressionId: { } id })
            return id == impression.ImpressionId && InWindow(engagement, impression);
        return engagement.UserId == impression.UserId && engagement.ItemId == impression.ItemId && InWindow(engagement, impression);
    }

    private bool InWindow(BehaviourEvent engagement, Impression impression) =>
        engagement.EventTime >= impression.EventTime && engagement.EventTime <= impression.EventTime + _options.Window;

    private Pending? FindOpen(BehaviourEvent engagement)
    {
        if (engagement is Click { ImpressionId: { } id })
        {
            if (_byImpressionId.TryGetValue(id, out var byId))
                return InWindow(engagement, byId.Impression) ? byId : null;
            // An id we have not seen: fall back to user + item, as a click without an id would.
        }
        if (!_byUserItem.TryGetValue((engagement.UserId, engagement.ItemId), out var list))
            return null;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (InWindow(engagement, list[i].Impression))
                return list[i];
        }
        return null;
    }

    private JoinResult<TOrigin> Resolve(Pending pending, BehaviourEvent? engagement, bool registered, DateTimeOffset? watermark = null)
    {
        pending.Resolved = true;
        var impression = pending.Impression;
        if (_resolved.TryAdd(impression.ImpressionId, Deadline(impression)))
            _resolvedExpiry.Enqueue(impression.ImpressionId, Deadline(impression));
        if (registered)
        {
            _byImpressionId.Remove(impression.ImpressionId);
            var key = (impression.UserId, impression.ItemId);
            if (_byUserItem.TryGetValue(key, out var list))
            {
                list.Remove(pending);
                if (list.Count == 0)
                    _byUserItem.Remove(key);
            }
        }
        var outcome = new Outcome(
            impression.ImpressionId,
            impression.UserId,
            impression.ItemId,
            impression.EventTime,
            engagement is null ? OutcomeLabel.NotClicked : OutcomeLabel.Clicked,
            engagement?.EventTime,
            engagement is Comment,
            engagement?.EventTime ?? watermark ?? impression.EventTime);
        return new JoinResult<TOrigin>(outcome, pending.Origin);
    }

    private sealed class Pending(Impression impression, TOrigin origin)
    {
        public Impression Impression { get; } = impression;
        public TOrigin Origin { get; } = origin;
        public bool Resolved { get; set; }
    }
}
