namespace TrackRec.Streaming.Outcomes;

/// <summary>An outcome together with the handle of the impression record it labels.</summary>
public sealed record JoinResult<TOrigin>(Outcome Outcome, TOrigin ImpressionOrigin);
