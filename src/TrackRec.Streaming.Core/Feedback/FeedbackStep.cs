namespace TrackRec.Streaming.Feedback;

/// <summary>What one labelled outcome produced: always a validator record, and the generation's preference record when it just became ready.</summary>
public sealed record FeedbackStep(ValidatorRecord Validator, PreferenceRecord? Preference);
