using System.Diagnostics;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Processing;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// Computes the chain features a set of roles gives every impression, at the cost the worker pays: each
/// user's chain is regenerated only when the worker's rule (<see cref="ChainCache.IsStale"/> with
/// <see cref="ChainFreshnessOptions"/>) says it is stale, from the request as of the impression, and every
/// impression gets the validator's score for its item with the chain it was served. A failing generation
/// serves the previous chain, as the worker does. Users are independent, so they are spread over the
/// cores (one user's impressions stay in time order on one task, like one partition).
/// </summary>
public static class ChainFeatureBuilder
{
    /// <summary>Features for <paramref name="impressions"/> (in impression-time order) under <paramref name="roles"/>.</summary>
    public static async Task<ChainFeatureRun> ComputeAsync(
        IReadOnlyList<LabelledImpression> impressions, ChainRoles roles, ChainWriterOptions writerOptions, ChainFreshnessOptions freshness, CancellationToken ct, int? parallelism = null)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        ArgumentNullException.ThrowIfNull(roles);
        ArgumentNullException.ThrowIfNull(writerOptions);
        ArgumentNullException.ThrowIfNull(freshness);
        var clock = Stopwatch.StartNew();
        var writer = new ChainWriter(writerOptions, roles);
        var results = new EvalImpression[impressions.Count];
        var lanes = Math.Max(1, parallelism ?? Environment.ProcessorCount);
        // More groups than cores, so one heavy user does not leave a core idle.
        var byLane = impressions.Select((l, i) => (l, i)).GroupBy(x => Lane(x.l.Request.UserId, lanes * 8)).ToList();
        int generations = 0, hits = 0, failures = 0;
        await Parallel.ForEachAsync(byLane, new ParallelOptions { MaxDegreeOfParallelism = lanes, CancellationToken = ct }, async (lane, token) =>
        {
            var cache = new ChainCache(freshness);
            int g = 0, h = 0, f = 0;
            foreach (var (labelled, index) in lane)
            {
                var request = labelled.Request;
                var chain = cache.Find(request.UserId);
                if (cache.IsStale(chain, request.HistoryVersion, labelled.Time))
                {
                    try
                    {
                        chain = (await writer.WriteAsync(request, token).ConfigureAwait(false)).Chain;
                        cache.Put(chain);
                        g++;
                    }
                    catch (Exception ex) when (!token.IsCancellationRequested && ex is not OutOfMemoryException)
                    {
                        f++;
                    }
                }
                else
                {
                    h++;
                }
                double? score = null;
                if (chain is not null)
                {
                    try
                    {
                        score = await writer.ScoreAsync(request, chain.AsDraft(), labelled.Item, token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!token.IsCancellationRequested && ex is not OutOfMemoryException)
                    {
                        score = null;
                    }
                }
                results[index] = new EvalImpression(labelled, chain, score);
            }
            Interlocked.Add(ref generations, g);
            Interlocked.Add(ref hits, h);
            Interlocked.Add(ref failures, f);
        }).ConfigureAwait(false);
        return new ChainFeatureRun(results, generations, hits, failures, clock.Elapsed);
    }

    private static int Lane(string userId, int lanes)
    {
        var hash = 17;
        foreach (var c in userId)
            hash = unchecked(hash * 31 + c);
        return (int)((uint)hash % (uint)lanes);
    }
}
