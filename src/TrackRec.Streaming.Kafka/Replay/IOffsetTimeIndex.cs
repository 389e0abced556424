using Confluent.Kafka;

namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>Finds, per partition, the first offset whose record timestamp is at or after a time.</summary>
public interface IOffsetTimeIndex
{
    /// <summary>The first offset with a timestamp at or after <paramref name="time"/> per partition, or null where no record is that late.</summary>
    IReadOnlyDictionary<TopicPartition, long?> OffsetsAt(IReadOnlyList<TopicPartition> partitions, DateTimeOffset time);
}
