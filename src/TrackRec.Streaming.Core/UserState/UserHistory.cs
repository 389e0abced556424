using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.UserState;

/// <summary>
/// A user's bounded recent history. Bounded so that a user with years of events costs the same memory
/// as a new one; <see cref="Version"/> counts every event ever absorbed, which is what chain staleness
/// is measured in.
/// </summary>
public sealed class UserHistory
{
    private readonly Queue<HistoryEntry> _entries;
    private readonly Queue<LabelledOutcome> _outcomes;
    private readonly int _capacity;
    private readonly int _outcomeCapacity;

    /// <summary>Creates an empty history keeping at most <paramref name="capacity"/> interactions.</summary>
    public UserHistory(string userId, int capacity, int outcomeCapacity)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outcomeCapacity, 1);
        UserId = userId;
        _capacity = capacity;
        _outcomeCapacity = outcomeCapacity;
        _entries = new Queue<HistoryEntry>(capacity);
        _outcomes = new Queue<LabelledOutcome>(outcomeCapacity);
    }

    /// <summary>The user this history belongs to.</summary>
    public string UserId { get; }

    /// <summary>Number of events absorbed since the history was created (not capped).</summary>
    public long Version { get; private set; }

    /// <summary>Event time of the newest absorbed event.</summary>
    public DateTimeOffset LastEventTime { get; private set; }

    /// <summary>The remembered interactions, oldest first.</summary>
    public IReadOnlyCollection<HistoryEntry> Entries => _entries;

    /// <summary>The most recent labelled outcomes, oldest first.</summary>
    public IReadOnlyCollection<LabelledOutcome> Outcomes => _outcomes;

    /// <summary>Absorbs one behaviour event.</summary>
    public void Absorb(BehaviourEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var entry = e switch
        {
            Impression i => new HistoryEntry(i.ItemId, Signal.Impression, i.EventTime),
            Click c => new HistoryEntry(c.ItemId, Signal.Click, c.EventTime),
            Comment c => new HistoryEntry(c.ItemId, Signal.Comment, c.EventTime, c.Text),
            _ => throw new ArgumentException($"unknown event type {e.GetType().Name}", nameof(e)),
        };
        if (_entries.Count == _capacity)
            _entries.Dequeue();
        _entries.Enqueue(entry);
        Version++;
        if (e.EventTime > LastEventTime)
            LastEventTime = e.EventTime;
    }

    /// <summary>Remembers a resolved impression.</summary>
    public void Remember(LabelledOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (_outcomes.Count == _outcomeCapacity)
            _outcomes.Dequeue();
        _outcomes.Enqueue(outcome);
    }
}
