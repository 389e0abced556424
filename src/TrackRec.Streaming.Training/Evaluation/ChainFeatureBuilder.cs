using System.Diagnostics;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Lanes;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Training.Reproducibility;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// Computes the chain features a set of roles gives every impression, by the worker's own fast-lane rule
/// (<see cref="FeatureServer"/> in deterministic mode): a user's chain is rewritten only when stale, from the
/// request as of the impression, a failed generation backs the user off and serves the chain in hand marked
/// degraded, and every impression gets the per-impression scorer's score for its item. Users are independent, so
/// they are spread over the cores (one user's impressions stay in time order on one task, like one partition).
/// </summary>
public static class ChainFeatureBuilder
{
    /// <summary>Features for <paramref name="impressions"/> (in impression-time order) under <paramref name="roles"/>.</summary>
    public static async Task<ChainFeatureRun> ComputeAsync(
        IReadOnlyList<LabelledImpression> impressions, ChainRoles roles, GenerationOptions writerOptions, ChainFreshnessOptions freshness, CancellationToken ct, int? parallelism = null)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(writerOptions);
        ArgumentNullException.ThrowIfNull(freshness);
        var clock = Stopwatch.StartNew();
        var writer = new GenerationOrchestrator(writerOptions, roles);
        var results = new EvalImpression[impressions.Count];
        var lanes = Math.Max(1, parallelism ?? Environment.ProcessorCount);
        var lane = SlowLane.Inline(writer, freshness.GenerationTimeout);
        var backoff = new LaneOptions();
        var byLane = UserLanes.Split(impressions, l => l.Request.UserId, lanes * UserLanes.LanesPerCore);
        var counters = new PipelineCounters();
        await Parallel.ForEachAsync(byLane, new ParallelOptions { MaxDegreeOfParallelism = lanes, CancellationToken = ct }, async (group, token) =>
        {
            var server = new FeatureServer(new ChainCache(freshness), writer, lane, LaneMode.Deterministic, TimeSpan.Zero, freshness,
                new UserBackoff(backoff.RetryBackoff, backoff.MaxRetryBackoff, TimeProvider.System), TimeProvider.System, counters);
            foreach (var (labelled, index) in group)
            {
                var request = labelled.Request;
                var impression = new Impression(string.Empty, request.UserId, labelled.Item.ItemId, labelled.Time, string.Empty);
                var served = await server.ServeAsync(impression, request, labelled.Item, null, token).ConfigureAwait(false);
                results[index] = new EvalImpression(labelled, server.Chains.Find(request.UserId) is { } chain && chain.ChainId == served.Feature.ChainId ? chain : null, served.Feature.ValidatorScore);
            }
        }).ConfigureAwait(false);
        return new ChainFeatureRun(results, (int)counters.Generations, (int)counters.ChainCacheHits, (int)counters.FailedGenerations, clock.Elapsed);
    }
}
