using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Kafka.Configuration;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// Where a newly assigned partition's inputs start re-reading so that what the worker does not keep on disk (user
/// histories, chains, pending impressions) is rebuilt before it emits again: TrackRec:Worker:StateWarmup before now,
/// never past the committed offset.
/// </summary>
internal sealed class StateWarmup(WorkerOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>The start per input, or null when there is nothing to rebuild (no warm-up, or nothing committed yet).</summary>
    public List<TopicPartitionOffset>? Starts(IConsumer<byte[]?, byte[]?> member, List<TopicPartition> inputs, List<TopicPartitionOffset> committed)
    {
        var warmup = options.StateWarmup;
        if (warmup <= TimeSpan.Zero || committed.All(c => c.Offset.IsSpecial))
            return null; // nothing was committed: everything is new, there is no state to rebuild
        if (warmup >= WorkerOptions.RebuildFromBeginning)
            return [.. inputs.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning))];
        var since = new Timestamp(time.GetUtcNow() - warmup);
        try
        {
            var found = member.OffsetsForTimes(inputs.Select(tp => new TopicPartitionTimestamp(tp, since)), TimeSpan.FromSeconds(30));
            return [.. found.Zip(committed, (f, c) =>
                // Never past the committed offset (that would skip unprocessed records); no record at or after the
                // time means the window holds nothing before the committed offset to re-read.
                new TopicPartitionOffset(f.TopicPartition,
                    f.Offset.IsSpecial || f.Offset.Value < 0 ? (c.Offset.IsSpecial ? Offset.Beginning : c.Offset)
                    : c.Offset.IsSpecial ? Offset.Beginning // never committed: everything is still to emit
                    : new Offset(Math.Min(f.Offset.Value, c.Offset.Value))))];
        }
        catch (KafkaException ex)
        {
            logger.LogWarning("State warm-up could not be resolved ({Reason}); starting at the committed offsets with empty state", ex.Error.Reason);
            return null;
        }
    }
}
