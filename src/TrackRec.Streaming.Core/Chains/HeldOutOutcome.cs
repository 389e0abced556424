namespace TrackRec.Streaming.Chains;

/// <summary>A recent labelled impression of the user, held out of the generator's prompt and used only to score chains.</summary>
public sealed record HeldOutOutcome(string ImpressionId, CandidateItem Item, bool Clicked, DateTimeOffset ImpressionTime);
