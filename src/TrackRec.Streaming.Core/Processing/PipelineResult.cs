using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Outcomes;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// What processing one event (or a flush) produced. Every output names the input record it must be
/// attributed to, so the caller can finish that record only when the output is durable.
/// </summary>
public sealed class PipelineResult<TOrigin>
{
    /// <summary>Feature records, one per impression processed.</summary>
    public List<(ChainFeature Feature, TOrigin Origin)> Features { get; } = [];

    /// <summary>Newly written chains, for the per-user chain topic.</summary>
    public List<(Chain Chain, TOrigin Origin)> Chains { get; } = [];

    /// <summary>Outcomes resolved, each attributed to its impression's record.</summary>
    public List<JoinResult<TOrigin>> Outcomes { get; } = [];

    /// <summary>Preference records of generations that just reached enough labels, attributed to the labelled impression's record.</summary>
    public List<(PreferenceRecord Record, TOrigin Origin)> Preferences { get; } = [];

    /// <summary>Validator training records, one per labelled outcome of a generation, attributed like <see cref="Preferences"/>.</summary>
    public List<(ValidatorRecord Record, TOrigin Origin)> ValidatorRecords { get; } = [];

    /// <summary>
    /// Records whose work continues in the slow lane (a generation they asked for, an outcome being scored): hold
    /// each before anything else in this result, until the matching entry of <see cref="Releases"/> in a later one.
    /// </summary>
    public List<TOrigin> Holds { get; } = [];

    /// <summary>Records whose slow-lane work is done: release each after this result's outputs are handed over.</summary>
    public List<TOrigin> Releases { get; } = [];

    /// <summary>True when the processed record is an impression, whose work ends only with its outcome.</summary>
    public bool AwaitsOutcome { get; set; }
}
