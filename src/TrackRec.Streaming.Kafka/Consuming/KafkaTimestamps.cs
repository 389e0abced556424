using Confluent.Kafka;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>A record's Kafka timestamp as a time, or null when the broker has none for it.</summary>
internal static class KafkaTimestamps
{
    public static DateTimeOffset? ToDateTimeOffset(Timestamp timestamp) =>
        timestamp.Type == TimestampType.NotAvailable ? null : new DateTimeOffset(timestamp.UtcDateTime);
}
