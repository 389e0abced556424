using Confluent.Kafka;
using TrackRec.Streaming.Kafka.Partitions;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// Back-pressure on the consume thread: an input partition whose worker has <c>maxBuffered</c> records waiting is
/// paused, and resumed once half of them are processed, so a slow partition never fills memory or starves the others.
/// </summary>
internal sealed class PartitionPauser(IReadOnlyList<string> inputs, int maxBuffered)
{
    private readonly HashSet<TopicPartition> _paused = [];

    public void Update(PartitionWorkerSet workers, ConsumerPair consumers, IPartitionAssignment assignment)
    {
        foreach (var (partition, worker) in workers.All)
        {
            for (var input = 0; input < inputs.Count; input++)
            {
                var tp = new TopicPartition(inputs[input], partition);
                if (assignment.IsEnded(tp))
                    continue;
                var buffered = worker.Buffered(input);
                if (buffered >= maxBuffered && _paused.Add(tp))
                    consumers.Of(input).Pause([tp]);
                else if (buffered <= maxBuffered / 2 && _paused.Remove(tp))
                    consumers.Of(input).Resume([tp]);
            }
        }
    }

    /// <summary>A partition is no longer owned (its pause goes with its assignment).</summary>
    public void Forget(int partition)
    {
        foreach (var topic in inputs)
            _paused.Remove(new TopicPartition(topic, partition));
    }
}
