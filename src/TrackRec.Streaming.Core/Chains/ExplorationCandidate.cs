namespace TrackRec.Streaming.Chains;

/// <summary>A novel interest category proposed for a user, with the aligned scorer's rating and the feedback it rests on.</summary>
/// <param name="Score">Collective click rate of users with a similar category history (0..1).</param>
/// <param name="Support">Impressions behind <see cref="Score"/>.</param>
public sealed record ExplorationCandidate(string Category, double Score, long Support);
