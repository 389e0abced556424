namespace TrackRec.Streaming.Kafka.DeadLetters;

/// <summary>
/// A record the worker gave up on, with its origin and untouched bytes, so it can be inspected and replayed
/// instead of blocking its partition (schemas/dead_letter.avsc).
/// </summary>
/// <param name="ErrorClass">Stable failure class (see <c>RecordDecodeException.ErrorClass</c>) to alert and filter on.</param>
public sealed record DeadLetter(
    string SourceTopic,
    int SourcePartition,
    long SourceOffset,
    DateTimeOffset? SourceTimestamp,
    byte[]? Key,
    byte[]? Value,
    string ErrorClass,
    string ErrorMessage,
    DateTimeOffset FailedAt,
    string? Worker = null);
