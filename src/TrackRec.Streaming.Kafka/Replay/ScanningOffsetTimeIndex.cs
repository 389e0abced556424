using Confluent.Kafka;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Consuming;

namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>
/// A time index built by reading the partitions' timestamps once. For librdkafka's mock cluster, whose
/// ListOffsets answers every timestamp with -1 (librdkafka issue #4755), so the embedded demo and tests
/// can replay by time; a real broker uses <see cref="BrokerOffsetTimeIndex"/>. Reads whole partitions:
/// only for small topics.
/// </summary>
public sealed class ScanningOffsetTimeIndex(KafkaOptions options) : IOffsetTimeIndex
{
    private readonly Dictionary<TopicPartition, List<(long Offset, long Timestamp)>> _read = [];

    /// <inheritdoc />
    public IReadOnlyDictionary<TopicPartition, long?> OffsetsAt(IReadOnlyList<TopicPartition> partitions, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var ms = time.ToUnixTimeMilliseconds();
        var result = new Dictionary<TopicPartition, long?>();
        foreach (var tp in partitions)
        {
            // Kafka's rule: the earliest offset whose timestamp is >= the time (timestamps need not be monotonic).
            var records = Timestamps(tp);
            var at = records.FindIndex(r => r.Timestamp >= ms);
            result[tp] = at < 0 ? null : records[at].Offset;
        }
        return result;
    }

    private List<(long Offset, long Timestamp)> Timestamps(TopicPartition tp)
    {
        if (_read.TryGetValue(tp, out var cached))
            return cached;
        var config = ConsumerSettings.Create(options, "trackrec-replay-scan", "trackrec-replay-scan");
        config.IsolationLevel = IsolationLevel.ReadUncommitted;
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        var high = consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(15)).High.Value;
        var records = new List<(long, long)>();
        if (high > 0)
        {
            consumer.Assign(new TopicPartitionOffset(tp, Offset.Beginning));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (true)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"reading the timestamps of {tp} did not reach offset {high} within 60s");
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null)
                    continue;
                if (result.IsPartitionEOF)
                {
                    if (result.Offset.Value >= high)
                        break;
                    continue;
                }
                records.Add((result.Offset.Value, result.Message.Timestamp.UnixTimestampMs));
                if (result.Offset.Value + 1 >= high)
                    break;
            }
            consumer.Close();
        }
        _read[tp] = records;
        return records;
    }
}
