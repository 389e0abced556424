using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// One side of the evaluation's time split: the events before <see cref="SplitTime"/> (train) and the
/// labelled impressions of that side in impression-time order, with the current round's chain features.
/// </summary>
/// <param name="Source">Describes the input, for model cards.</param>
/// <param name="Items">The catalog.</param>
/// <param name="Events">The events of this side (for train: every event before <see cref="SplitTime"/>).</param>
/// <param name="Impressions">This side's labelled impressions, oldest first, with the current round's chains and scores.</param>
/// <param name="SplitTime">Train impressions are before it, test impressions at or after it.</param>
/// <param name="Seed">Seed of the evaluation.</param>
public sealed record EvalData(string Source, IReadOnlyList<CatalogItem> Items, IReadOnlyList<BehaviourEvent> Events, IReadOnlyList<EvalImpression> Impressions, DateTimeOffset SplitTime, int Seed)
{
    /// <summary>How the evaluation's generations run (samples per generation, held-out outcomes), so a round samples on-policy data as the features were made.</summary>
    public Chains.GenerationOptions Writer { get; init; } = new();

    /// <summary>Whether a round also retrains the encoder on the new generator's chains (<see cref="EvalOptions.RealignEncoder"/>).</summary>
    public bool RealignEncoder { get; init; }

    /// <summary>Labelled outcomes a generation needs before a round makes it a preference record (the worker's TrackRec:Feedback:MinLabels); null: the round trainer's own.</summary>
    public int? MinLabels { get; init; }
}
