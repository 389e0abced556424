using Confluent.Kafka;

namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>The broker's own time index (ListOffsets by timestamp, the consumer's offsets-for-times): one request per lookup.</summary>
public sealed class BrokerOffsetTimeIndex(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout) : IOffsetTimeIndex
{
    /// <inheritdoc />
    public IReadOnlyDictionary<TopicPartition, long?> OffsetsAt(IReadOnlyList<TopicPartition> partitions, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var query = partitions.Select(tp => new TopicPartitionTimestamp(tp, new Timestamp(time))).ToList();
        var answer = consumer.OffsetsForTimes(query, timeout);
        // The broker answers -1 (Offset.End) when no record is that late.
        return answer.ToDictionary(r => r.TopicPartition, r => r.Offset.IsSpecial ? (long?)null : r.Offset.Value);
    }
}
