using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Inputs;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>Real chains for the memory phase: written by the given writer from requests the worker's own request builder made from the stream.</summary>
internal static class ChainTemplates
{
    public static async Task<IReadOnlyList<Chain>> WriteAsync(EventStream stream, GenerationOrchestrator writer, int count, CancellationToken cancellationToken)
    {
        var catalog = new ItemCatalog();
        foreach (var item in stream.Items)
            catalog.Upsert(item);
        var requests = OfflineLabelling.LabelledImpressions(stream.Events, catalog, new PipelineOptions(), writer.Options.HeldOutOutcomes)
            .Where(l => l.Request.History.Count > 0)
            .ToList();
        var step = Math.Max(1, requests.Count / count);
        var chains = new List<Chain>();
        foreach (var labelled in requests.Where((_, i) => i % step == 0).Take(count))
            chains.Add((await writer.WriteAsync(labelled.Request, cancellationToken).ConfigureAwait(false)).Chain);
        return chains;
    }
}
