namespace TrackRec.Streaming.Chains;

/// <summary>One statement of a chain: its kind, what it is about (a category, an item) and how it reads.</summary>
public sealed record ChainClaim(ClaimKind Kind, string Subject, string Text);
