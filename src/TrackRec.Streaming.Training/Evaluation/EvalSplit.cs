using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Processing;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// The time-ordered split: every labelled impression with the request the worker would have built at
/// impression time (<see cref="OfflineLabelling"/>, so no impression's own outcome is in its request), cut at
/// <c>first + share * (last - first)</c> of the event-time range. Models are trained on
/// <see cref="TrainEvents"/> only (every event before the cut), the backbone on <see cref="Train"/>, and
/// everything is measured on <see cref="Test"/>.
/// </summary>
public sealed record EvalSplit(IReadOnlyList<BehaviourEvent> TrainEvents, IReadOnlyList<LabelledImpression> Train, IReadOnlyList<LabelledImpression> Test, DateTimeOffset SplitTime)
{
    /// <summary>All labelled impressions, train first, oldest first.</summary>
    public IReadOnlyList<LabelledImpression> All => [.. Train, .. Test];

    /// <summary>Splits <paramref name="events"/> (in event-time order) at <paramref name="trainShare"/> of their time range.</summary>
    public static EvalSplit Build(IReadOnlyList<CatalogItem> items, IReadOnlyList<BehaviourEvent> events, double trainShare, PipelineOptions pipeline, int heldOutOutcomes)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(pipeline);
        if (trainShare is <= 0 or >= 1 || double.IsNaN(trainShare))
            throw new ArgumentOutOfRangeException(nameof(trainShare), trainShare, "must be in (0, 1)");
        if (events.Count == 0)
            throw new ArgumentException("no events to evaluate on", nameof(events));
        var catalog = new ItemCatalog();
        foreach (var item in items)
            catalog.Upsert(item);
        var first = events[0].EventTime;
        var last = events[^1].EventTime;
        var split = first + TimeSpan.FromTicks((long)((last - first).Ticks * trainShare));
        // Labels resolve out of impression order (clicks early, passes when the window closes): sort by
        // impression time and, within one instant, by the user's history version at the impression, so the
        // chain cache sees impressions as the worker did. Resolution order must not break ties: it puts a
        // log's clicked news first (MIND shows a log's news at one instant), so the label would decide
        // which impression regenerates the chain.
        var labelled = OfflineLabelling.LabelledImpressions(events, catalog, pipeline, heldOutOutcomes)
            .OrderBy(l => l.Time).ThenBy(l => l.Request.HistoryVersion).ToList();
        var train = labelled.Where(l => l.Time < split).ToList();
        var test = labelled.Where(l => l.Time >= split).ToList();
        var trainEvents = events.Where(e => e.EventTime < split).ToList();
        return new EvalSplit(trainEvents, train, test, split);
    }
}
