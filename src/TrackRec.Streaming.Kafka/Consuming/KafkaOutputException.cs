namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>Work can no longer be made durable (a delivery failed for good, a partition worker crashed): the worker must stop uncommitted.</summary>
public sealed class KafkaOutputException(string message, Exception? inner) : Exception(message, inner);
