using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Outcomes;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// Replays a bounded, time-ordered stream through the same user state, join and request builder as the
/// worker, and yields every impression once its label is known, with the request the worker would have
/// built at that impression. Training on these keeps training and serving from drifting apart.
/// </summary>
public static class OfflineReplay
{
    /// <summary>The labelled impressions of <paramref name="events"/>, in the order their labels resolve.</summary>
    public static IEnumerable<LabelledImpression> LabelledImpressions(IEnumerable<BehaviourEvent> events, IItemCatalog catalog, PipelineOptions options, int heldOutOutcomes)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        var requests = new ChainRequestBuilder(catalog, heldOutOutcomes);
        var users = new UserStateStore(options.UserState);
        var join = new ImpressionJoin<ChainRequest>(options.Attribution);
        var watermark = DateTimeOffset.MinValue;
        var resolved = new List<JoinResult<ChainRequest>>();
        foreach (var e in events)
        {
            var history = users.GetOrCreate(e.UserId);
            resolved.Clear();
            if (e is Impression impression)
            {
                var request = requests.Build(history, impression.EventTime);
                history.Absorb(impression);
                if (join.AddImpression(impression, request) is { } early)
                    resolved.Add(early);
            }
            else
            {
                history.Absorb(e);
                if (join.AddEngagement(e) is { } engaged)
                    resolved.Add(engaged);
            }
            if (e.EventTime > watermark)
            {
                watermark = e.EventTime;
                resolved.AddRange(join.AdvanceWatermark(watermark));
            }
            foreach (var r in resolved)
                yield return Label(r, users, requests);
        }
        foreach (var r in join.Flush(watermark))
            yield return Label(r, users, requests);
    }

    private static LabelledImpression Label(JoinResult<ChainRequest> resolved, UserStateStore users, ChainRequestBuilder requests)
    {
        var o = resolved.Outcome;
        var clicked = o.Label == OutcomeLabel.Clicked;
        users.Find(o.UserId)?.Remember(new LabelledOutcome(o.ImpressionId, o.ItemId, clicked, o.ImpressionTime));
        return new LabelledImpression(resolved.ImpressionSource, requests.Describe(o.ItemId), clicked, o.ImpressionTime);
    }
}
