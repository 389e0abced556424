namespace TrackRec.Streaming.Kafka.Embedded;

/// <summary>
/// Raised when librdkafka's mock cluster refuses an operation, so callers see librdkafka's own
/// message (and error code) instead of a bare native failure.
/// </summary>
public sealed class EmbeddedKafkaException : Exception
{
    public EmbeddedKafkaException()
    {
    }

    public EmbeddedKafkaException(string message)
        : base(message)
    {
    }

    public EmbeddedKafkaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EmbeddedKafkaException(string message, Confluent.Kafka.ErrorCode errorCode)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>librdkafka's error code when the failure came from a mock API call; otherwise <c>NoError</c>.</summary>
    public Confluent.Kafka.ErrorCode ErrorCode { get; }
}
