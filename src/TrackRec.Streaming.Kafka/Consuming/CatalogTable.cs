using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// Keeps the item catalog current from the items topic, read whole by every worker (a global table:
/// events of any partition may name any item). It is bootstrapped to the topic's end before behaviour
/// processing starts, as Kafka Streams does for global tables, then tailed on its own thread. No group
/// offsets: the table is rebuilt from the beginning on every start.
/// </summary>
public sealed class CatalogTable(
    KafkaOptions options,
    StreamSerdes serdes,
    ItemCatalog catalog,
    DeadLetterPublisher deadLetters,
    StreamCounters counters,
    ILogger<CatalogTable> logger)
{
    /// <summary>Reads the catalog until cancelled; <paramref name="caughtUp"/> completes once the topic's end at start is reached.</summary>
    public void Run(TaskCompletionSource caughtUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caughtUp);
        // The group id is only what the client requires; the table never joins it or commits.
        var config = ConsumerSettings.Create(options, "trackrec-catalog", options.GroupId + ".catalog");

        try
        {
            using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
            var partitions = TopicMetadata.Partitions(options, serdes.Topics.Items);
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(serdes.Topics.Items, p, Offset.Beginning)));
            var remaining = new Dictionary<int, long>();
            foreach (var p in partitions)
            {
                var high = consumer.QueryWatermarkOffsets(new TopicPartition(serdes.Topics.Items, p), TimeSpan.FromSeconds(10)).High.Value;
                if (high > 0)
                    remaining[p] = high;
            }
            if (remaining.Count == 0)
                caughtUp.TrySetResult();

            while (!cancellationToken.IsCancellationRequested)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(100));
                if (result is null || result.IsPartitionEOF)
                    continue;
                Apply(result, cancellationToken);
                if (remaining.TryGetValue(result.Partition.Value, out var end) && result.Offset.Value + 1 >= end)
                {
                    remaining.Remove(result.Partition.Value);
                    if (remaining.Count == 0)
                    {
                        logger.LogInformation("Catalog bootstrapped with {Items} items", catalog.Count);
                        caughtUp.TrySetResult();
                    }
                }
            }
            consumer.Close();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            caughtUp.TrySetCanceled(cancellationToken);
        }
        catch (Exception ex)
        {
            caughtUp.TrySetException(ex);
            throw;
        }
    }

    private void Apply(ConsumeResult<byte[]?, byte[]?> result, CancellationToken cancellationToken)
    {
        try
        {
            if (result.Message.Value is null)
                throw new WireFormatException("the record has no value");
            var item = serdes.Items.DeserializeAsync(result.Message.Value, cancellationToken).AsTask().GetAwaiter().GetResult();
            catalog.Upsert(item);
            counters.CountItem();
        }
        catch (RecordDecodeException ex)
        {
            deadLetters.PublishAsync(result, ex.ErrorClass, ex.Message, () => counters.CountDeadLetter(ex.ErrorClass), cancellationToken).GetAwaiter().GetResult();
        }
    }
}
