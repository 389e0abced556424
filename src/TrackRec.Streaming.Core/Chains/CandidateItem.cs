namespace TrackRec.Streaming.Chains;

/// <summary>An item as the validator reads it: the thing a chain is asked to predict a click on.</summary>
public sealed record CandidateItem(string ItemId, string? Title, IReadOnlyList<string> Categories);
