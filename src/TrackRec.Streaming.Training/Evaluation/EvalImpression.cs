using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Processing;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// One labelled impression of the evaluation with what the current round's roles served for it: the user's
/// chain as the worker would have had it at impression time (fresh or cached by the worker's staleness rule)
/// and the validator's score for the impressed item with that chain (null when no chain could be made).
/// </summary>
public sealed record EvalImpression(LabelledImpression Labelled, Chain? Chain, double? ValidatorScore);
