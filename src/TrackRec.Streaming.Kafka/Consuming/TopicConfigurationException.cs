namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>The cluster's topics do not fit the configuration (missing, or not co-partitioned); start-up stops.</summary>
public sealed class TopicConfigurationException(string message) : Exception(message);
