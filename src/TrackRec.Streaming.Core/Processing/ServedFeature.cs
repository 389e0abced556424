using TrackRec.Streaming.Features;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// What the fast lane served one impression: the feature, whether it asked the slow lane for a new chain (the
/// trigger is then held until that generation is applied), and the generations it applied on the way.
/// </summary>
public sealed record ServedFeature(ChainFeature Feature, bool Requested, IReadOnlyList<AppliedGeneration> Applied);
