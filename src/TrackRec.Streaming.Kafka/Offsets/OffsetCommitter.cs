using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Kafka.Partitions;

namespace TrackRec.Streaming.Kafka.Offsets;

/// <summary>
/// Commits, through the group member, the offsets whose work is durable, for all three inputs of a partition in one
/// call, and remembers what is committed (a commit never moves an offset back; the lag gauge reads it).
/// </summary>
internal sealed class OffsetCommitter(IReadOnlyList<string> inputs, ILogger logger)
{
    private readonly Dictionary<TopicPartition, long> _committed = [];

    /// <summary>The committed offset of an input partition, or null when nothing is.</summary>
    public long? CommittedOf(string topic, int partition) =>
        _committed.TryGetValue(new TopicPartition(topic, partition), out var offset) ? offset : null;

    /// <summary>What the group has committed counts as committed: no redundant commit, and a lag from the start.</summary>
    public void Seed(IEnumerable<TopicPartitionOffset> committed)
    {
        foreach (var c in committed.Where(c => !c.Offset.IsSpecial))
            _committed[c.TopicPartition] = c.Offset.Value;
    }

    /// <summary>A partition is no longer owned: its offsets are the next owner's.</summary>
    public void Forget(int partition)
    {
        foreach (var topic in inputs)
            _committed.Remove(new TopicPartition(topic, partition));
    }

    /// <summary>Commits each partition's committable offsets; a retriable failure is logged and tried again next time.</summary>
    public void Commit(IConsumer<byte[]?, byte[]?> member, IEnumerable<(int Partition, PartitionGroupWorker Worker)> partitions)
    {
        var offsets = new List<TopicPartitionOffset>();
        foreach (var (partition, worker) in partitions)
        {
            for (var input = 0; input < inputs.Count; input++)
            {
                var offset = worker.CommittableOffset(input);
                var tp = new TopicPartition(inputs[input], partition);
                // Never behind what is committed: a warm-up re-reads records below it, and those must not move it back.
                if (offset < 0 || (_committed.TryGetValue(tp, out var last) && last >= offset))
                    continue;
                offsets.Add(new TopicPartitionOffset(tp, offset));
            }
        }
        if (offsets.Count == 0)
            return;
        try
        {
            member.Commit(offsets);
            foreach (var o in offsets)
                _committed[o.TopicPartition] = o.Offset.Value;
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            // Retriable (e.g. a rebalance in progress): the same offsets are tried again next interval.
            logger.LogWarning("Commit failed, will retry: {Reason}", ex.Error.Reason);
        }
    }
}
