namespace TrackRec.Streaming.Processing;

/// <summary>
/// Running totals of what the pipelines of one process did; read by the demo summary and by metrics.
/// Updated with interlocked operations because every partition's pipeline adds to the same totals.
/// </summary>
public sealed class PipelineCounters
{
    private long _impressions, _clicks, _comments, _chainsGenerated, _chainCacheHits, _degraded, _labelsClicked, _labelsNotClicked;

    /// <summary>Impressions processed.</summary>
    public long Impressions => Interlocked.Read(ref _impressions);
    /// <summary>Clicks processed.</summary>
    public long Clicks => Interlocked.Read(ref _clicks);
    /// <summary>Comments processed.</summary>
    public long Comments => Interlocked.Read(ref _comments);
    /// <summary>Chains written by the generator.</summary>
    public long ChainsGenerated => Interlocked.Read(ref _chainsGenerated);
    /// <summary>Features served from a still-fresh cached chain.</summary>
    public long ChainCacheHits => Interlocked.Read(ref _chainCacheHits);
    /// <summary>Features served degraded because the generator failed or timed out.</summary>
    public long DegradedFeatures => Interlocked.Read(ref _degraded);
    /// <summary>Impressions labelled clicked.</summary>
    public long LabelsClicked => Interlocked.Read(ref _labelsClicked);
    /// <summary>Impressions labelled not clicked.</summary>
    public long LabelsNotClicked => Interlocked.Read(ref _labelsNotClicked);

    internal void CountImpression() => Interlocked.Increment(ref _impressions);
    internal void CountClick() => Interlocked.Increment(ref _clicks);
    internal void CountComment() => Interlocked.Increment(ref _comments);
    internal void CountChainGenerated() => Interlocked.Increment(ref _chainsGenerated);
    internal void CountCacheHit() => Interlocked.Increment(ref _chainCacheHits);
    internal void CountDegraded() => Interlocked.Increment(ref _degraded);
    internal void CountLabel(bool clicked)
    {
        if (clicked)
            Interlocked.Increment(ref _labelsClicked);
        else
            Interlocked.Increment(ref _labelsNotClicked);
    }
}
