using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Outcomes;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// Labels a bounded, time-ordered stream offline (no Kafka: "replay" is the Kafka job) through the same user state, join and request builder as the
/// worker, and yields every impression once its label is known, with the request the worker would have
/// built at that impression. Training on these keeps training and serving from drifting apart.
/// </summary>
public static class OfflineLabelling
{
    /// <summary>The labelled impressions of <paramref name="events"/>, in the order their labels resolve.</summary>
    public static IEnumerable<LabelledImpression> LabelledImpressions(IEnumerable<BehaviourEvent> events, IItemCatalog catalog, PipelineOptions options, int heldOutOutcomes)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        var requests = new ChainRequestBuilder(catalog, heldOutOutcomes);
        var labeller = new ImpressionLabeller<ChainRequest>(options.UserState, options.Attribution);
        foreach (var e in events)
        {
            // An impression carries the request the worker would have built for it: history before the impression.
            var request = e is Impression impression ? requests.Build(labeller.HistoryOf(e), impression.EventTime) : null!;
            foreach (var resolved in labeller.Absorb(e, request))
                yield return Label(resolved, labeller, requests);
        }
        foreach (var resolved in labeller.Flush())
            yield return Label(resolved, labeller, requests);
    }

    private static LabelledImpression Label(JoinResult<ChainRequest> resolved, ImpressionLabeller<ChainRequest> labeller, ChainRequestBuilder requests)
    {
        var (clicked, _) = labeller.Label(resolved);
        var o = resolved.Outcome;
        return new LabelledImpression(resolved.ImpressionOrigin, requests.Describe(o.ItemId), clicked, o.ImpressionTime);
    }
}
