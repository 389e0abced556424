using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.Producing;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// The ceiling a worker is measured against: consume the behaviour inputs and produce one record per input
/// (the input's bytes, so record sizes match the input) on the features topic, storing each input's offset
/// only once its output is acknowledged and committing on the worker's interval. The consumer comes from
/// the worker's own <see cref="ConsumerSettings"/> and the producer is the worker's <see cref="OutputPublisher"/>
/// (acks=all, idempotent, same linger and compression), so only the worker's own work separates the two.
/// </summary>
internal static class PassThroughCeiling
{
    public static async Task<ThroughputFigures> RunAsync(BenchCluster cluster, long expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, GroupId = "bench-ceiling" };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerSettings.Create(kafka, "bench-ceiling", kafka.GroupId)).Build();
        using var publisher = new OutputPublisher(kafka, NullLogger<OutputPublisher>.Instance);
        return await Task.Run(() => Run(consumer, publisher, cluster, kafka.CommitInterval, expected, timeout, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private static ThroughputFigures Run(IConsumer<byte[]?, byte[]?> consumer, OutputPublisher publisher, BenchCluster cluster, TimeSpan commitInterval, long expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        consumer.Subscribe(cluster.Topics.BehaviourInputs);
        long consumed = 0, acknowledged = 0, firstAt = 0, lastAckAt = 0;
        var deadline = Stopwatch.StartNew();
        var sinceCommit = Stopwatch.StartNew();
        try
        {
            while (Interlocked.Read(ref acknowledged) < expected)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (publisher.Fatal.IsCompleted)
                    throw new InvalidOperationException("the ceiling's producer failed", publisher.Fatal.Result);
                if (deadline.Elapsed > timeout)
                    throw new TimeoutException($"the pass-through moved {acknowledged} of {expected} records in {timeout.TotalSeconds:F0}s");
                if (sinceCommit.Elapsed >= commitInterval)
                {
                    CommitStored(consumer);
                    sinceCommit.Restart();
                }
                var result = consumer.Consume(TimeSpan.FromMilliseconds(50));
                if (result is null || result.IsPartitionEOF)
                    continue;
                if (consumed++ == 0)
                    firstAt = Stopwatch.GetTimestamp();
                var position = new TopicPartitionOffset(result.TopicPartition, result.Offset + 1);
                var key = result.Message.Key is { } k ? Encoding.UTF8.GetString(k) : string.Empty;
                publisher.Publish(cluster.Topics.Features, key, result.Message.Value ?? [], null, () =>
                {
                    consumer.StoreOffset(position);
                    Volatile.Write(ref lastAckAt, Stopwatch.GetTimestamp());
                    Interlocked.Increment(ref acknowledged);
                });
            }
            CommitStored(consumer);
        }
        finally
        {
            consumer.Close();
        }
        return new ThroughputFigures(consumed, acknowledged, Stopwatch.GetElapsedTime(firstAt, Volatile.Read(ref lastAckAt)).TotalSeconds);
    }

    private static void CommitStored(IConsumer<byte[]?, byte[]?> consumer)
    {
        try
        {
            consumer.Commit();
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_NoOffset)
        {
            // Nothing stored since the last commit.
        }
    }
}
