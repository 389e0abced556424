using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Outcomes;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// What processing one event (or a flush) produced. Every output names the input record it must be
/// attributed to, so the caller can finish that record only when the output is durable.
/// </summary>
public sealed class PipelineResult<TSource>
{
    /// <summary>Feature records, one per impression processed.</summary>
    public List<(ChainFeature Feature, TSource Source)> Features { get; } = [];

    /// <summary>Newly written chains, for the per-user chain topic.</summary>
    public List<(Chain Chain, TSource Source)> Chains { get; } = [];

    /// <summary>Outcomes resolved, each attributed to its impression's record.</summary>
    public List<JoinResult<TSource>> Outcomes { get; } = [];

    /// <summary>True when the processed record is an impression, whose work ends only with its outcome.</summary>
    public bool AwaitsOutcome { get; set; }
}
