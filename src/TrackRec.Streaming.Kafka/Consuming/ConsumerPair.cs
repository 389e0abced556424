using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Diagnostics;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Diagnostics;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// A worker's two consumers. The lead reads impressions and, live, is the group member (cooperative-sticky); the
/// companion is manually assigned the clicks and comments partitions that go with the lead's, and never commits:
/// librdkafka's assignors cannot co-locate partitions of different topics, so the group's assignment of impressions-p
/// drives it, and all three inputs' offsets are committed by the lead in one call. Both report consumer lag.
/// </summary>
internal sealed class ConsumerPair : IDisposable
{
    private readonly KafkaOptions _options;
    private readonly StreamCounters _counters;
    private readonly IPartitionAssignment _assignment;
    private readonly ILogger _logger;
    private volatile bool _closing;

    public ConsumerPair(KafkaOptions options, StreamCounters counters, IPartitionAssignment assignment, ILogger logger)
    {
        _options = options;
        _counters = counters;
        _assignment = assignment;
        _logger = logger;
        var lead = ConsumerSettings.Create(options, "trackrec-worker", options.GroupId);
        lead.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        Lead = assignment.Configure(Builder(lead, "lead")
            .SetErrorHandler((_, error) =>
            {
                if (!error.IsFatal) // a fatal one surfaces as an exception from Consume
                    _logger.LogWarning("Consumer error {Code}: {Reason}", error.Code, error.Reason);
            })).Build();
        // The group id is only what the client requires: the companion never subscribes and never commits.
        Companion = Builder(ConsumerSettings.Create(options, "trackrec-worker-copartitions", options.GroupId + ".copartitions"), "companion").Build();
    }

    /// <summary>Impressions; the group member.</summary>
    public IConsumer<byte[]?, byte[]?> Lead { get; }

    /// <summary>Clicks and comments.</summary>
    public IConsumer<byte[]?, byte[]?> Companion { get; }

    /// <summary>The consumer that reads behaviour input <paramref name="input"/> (0 impressions, else clicks or comments).</summary>
    public IConsumer<byte[]?, byte[]?> Of(int input) => input == 0 ? Lead : Companion;

    /// <summary>
    /// Reports each consumer's lag from the offsets the worker has committed and the consumer's cached high
    /// watermarks (no broker call), so the gauge reflects a commit at once rather than at the next statistics
    /// event, which may never come: a short bounded run can commit for the first time as it ends. Call it on the
    /// consume thread, after a commit. The high watermark stands in for the last stable offset, as in
    /// <see cref="ConsumerLagStatistics"/>.
    /// </summary>
    public void ReportCommittedLag()
    {
        if (_closing)
            return;
        foreach (var (name, consumer) in new[] { ("lead", Lead), ("companion", Companion) })
        {
            var lags = new List<PartitionLag>();
            foreach (var tp in consumer.Assignment)
            {
                var high = consumer.GetWatermarkOffsets(tp).High;
                if (ConsumerLagStatistics.LagOf(_assignment.CommittedOf(tp.Topic, tp.Partition.Value), high.IsSpecial ? null : high.Value) is long lag)
                    lags.Add(new PartitionLag(tp.Topic, tp.Partition.Value, lag));
            }
            if (lags.Count > 0)
                _counters.ReportLag(name, lags);
        }
    }

    /// <summary>
    /// From here on statistics no longer feed the lag gauge. A closing consumer's statistics describe the partitions
    /// it is giving up, whose lag is unknown, and reporting them blanked the gauge while /metrics was still scraped
    /// during shutdown (whether one came in depended on timing); the last lag measured while consuming stays.
    /// </summary>
    public void Closing() => _closing = true;

    public void Dispose()
    {
        Lead.Dispose();
        Companion.Dispose();
    }

    // Statistics feed the consumer-lag gauge; an interval the operator set in TrackRec:Kafka:Consumer wins.
    private ConsumerBuilder<byte[]?, byte[]?> Builder(ConsumerConfig config, string name)
    {
        config.StatisticsIntervalMs ??= (int)_options.StatisticsInterval.TotalMilliseconds;
        return new ConsumerBuilder<byte[]?, byte[]?>(config).SetStatisticsHandler((_, json) => OnStatistics(name, json));
    }

    // Served by Consume on the consume thread (so the committed offsets are safe to read here); never throw from it.
    // Internal for tests, which feed it statistics by hand.
    internal void OnStatistics(string consumer, string json)
    {
        if (_closing)
            return;
        try
        {
            _counters.ReportLag(consumer, ConsumerLagStatistics.Parse(json, _assignment.CommittedOf));
        }
        catch (System.Text.Json.JsonException ex)
        {
            _logger.LogDebug(ex, "Unreadable librdkafka statistics from the {Consumer} consumer", consumer);
        }
    }
}
