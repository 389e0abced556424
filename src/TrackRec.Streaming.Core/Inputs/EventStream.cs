using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Inputs;

/// <summary>
/// What every source yields (simulator, JSON lines, MovieLens), so the demo producer can publish any
/// of them the same way: a catalog, the behaviour in event-time order, and the input it had to skip.
/// </summary>
public sealed class EventStream
{
    /// <summary>Takes the events in any order and sorts them by event time; ties keep their given order.</summary>
    public EventStream(
        IEnumerable<CatalogItem> items,
        IEnumerable<BehaviourEvent> events,
        IEnumerable<InputProblem>? problems = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(events);
        Items = items.ToList().AsReadOnly();
        // OrderBy is a stable sort: an impression and its click at the same instant stay in source order.
        Events = events.OrderBy(e => e.EventTime).ToList().AsReadOnly();
        Problems = (problems ?? []).ToList().AsReadOnly();
    }

    /// <summary>The item catalog, in source order.</summary>
    public IReadOnlyList<CatalogItem> Items { get; }

    /// <summary>Impressions, clicks and comments sorted by <see cref="BehaviourEvent.EventTime"/> (stable).</summary>
    public IReadOnlyList<BehaviourEvent> Events { get; }

    /// <summary>Input records that were skipped, in input order; empty for sources that cannot fail.</summary>
    public IReadOnlyList<InputProblem> Problems { get; }
}
