using TrackRec.Streaming.Events;
using TrackRec.Streaming.Outcomes;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// The labelling half of the pipeline, in one place for the worker and the offline passes that train and evaluate
/// on the same requests: per-user history, the impression/outcome join, and the watermark that closes attribution
/// windows. One caller at a time.
/// </summary>
public sealed class ImpressionLabeller<TOrigin>
{
    private readonly UserStateStore _users;
    private readonly ImpressionJoin<TOrigin> _join;
    private readonly List<JoinResult<TOrigin>> _resolved = [];

    /// <summary>Creates the labeller; <paramref name="evicted"/> hears of users dropped from state.</summary>
    public ImpressionLabeller(UserStateOptions userState, AttributionOptions attribution, Action<string>? evicted = null)
    {
        ArgumentNullException.ThrowIfNull(userState);
        ArgumentNullException.ThrowIfNull(attribution);
        _users = new UserStateStore(userState, evicted);
        _join = new ImpressionJoin<TOrigin>(attribution);
    }

    /// <summary>The users.</summary>
    public UserStateStore Users => _users;

    /// <summary>The highest event time seen: outcomes whose window + grace lie before it are final.</summary>
    public DateTimeOffset Watermark { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Impressions still waiting for an outcome.</summary>
    public int OpenImpressions => _join.OpenImpressions;

    /// <summary>The history of the event's user, as it is before the event (an impression's request is built from it).</summary>
    public UserHistory HistoryOf(BehaviourEvent e) => _users.GetOrCreate(e.UserId);

    /// <summary>
    /// Absorbs <paramref name="e"/> into its user's history, joins it, advances the watermark, and returns the
    /// outcomes that resolved (valid until the next call). Pass each to <see cref="Label"/> in order.
    /// </summary>
    public IReadOnlyList<JoinResult<TOrigin>> Absorb(BehaviourEvent e, TOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(e);
        _resolved.Clear();
        _users.GetOrCreate(e.UserId).Absorb(e);
        var joined = e is Impression impression ? _join.AddImpression(impression, origin) : _join.AddEngagement(e);
        if (joined is not null)
            _resolved.Add(joined);
        if (e.EventTime > Watermark)
        {
            Watermark = e.EventTime;
            _resolved.AddRange(_join.AdvanceWatermark(Watermark));
        }
        return _resolved;
    }

    /// <summary>End of a bounded input: every open impression, labelled as of the watermark.</summary>
    public IReadOnlyList<JoinResult<TOrigin>> Flush() => _join.Flush(Watermark).ToList();

    /// <summary>
    /// Records a resolved outcome in its user's history (the held-out outcomes of later requests) and returns
    /// whether it was a click and the user's history (null when the user was evicted).
    /// </summary>
    public (bool Clicked, UserHistory? History) Label(JoinResult<TOrigin> resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var o = resolved.Outcome;
        var clicked = o.Label == OutcomeLabel.Clicked;
        var history = _users.Find(o.UserId);
        history?.Remember(new LabelledOutcome(o.ImpressionId, o.ItemId, clicked, o.ImpressionTime));
        return (clicked, history);
    }
}
