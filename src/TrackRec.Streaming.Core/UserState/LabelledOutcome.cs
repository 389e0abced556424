namespace TrackRec.Streaming.UserState;

/// <summary>
/// A resolved impression as the user's state remembers it: the ground truth that chains are scored
/// against (held out of the generator's prompt).
/// </summary>
public sealed record LabelledOutcome(string ImpressionId, string ItemId, bool Clicked, DateTimeOffset ImpressionTime);
