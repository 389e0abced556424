using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Processing;

/// <summary>An impression with the request the worker would have built for it and the label it got: one training example.</summary>
public sealed record LabelledImpression(ChainRequest Request, CandidateItem Item, bool Clicked, DateTimeOffset Time);
