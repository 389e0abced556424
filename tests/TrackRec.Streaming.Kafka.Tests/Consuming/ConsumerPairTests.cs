using System.Diagnostics.Metrics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using TrackRec.Streaming.Diagnostics;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Partitions;
using TrackRec.Streaming.Tests.Diagnostics;
using Xunit;

namespace TrackRec.Streaming.Tests.Kafka.Consuming;

/// <summary>The consumer pair's statistics feed the lag gauge while it consumes, and stop feeding it once it closes.</summary>
public sealed class ConsumerPairTests
{
    private const string Assigned = """{ "topics": { "trackrec.impressions": { "partitions": { "0": { "partition": 0, "consumer_lag": 40 } } } } }""";
    // What a consumer giving up its partitions reports: their lag is unknown.
    private const string Unassigned = """{ "topics": { "trackrec.impressions": { "partitions": { "0": { "partition": 0, "consumer_lag": -1 } } } } }""";

    [Fact]
    public void A_closing_pair_keeps_the_last_lag_it_measured_while_consuming()
    {
        using var factory = new TestMeterFactory();
        var metrics = new StreamMetrics(factory);
        using var pair = Pair(metrics);

        pair.OnStatistics("lead", Assigned);
        Assert.Equal([40L], Lags(metrics));
        pair.Closing();
        pair.OnStatistics("lead", Unassigned);

        Assert.Equal([40L], Lags(metrics));
    }

    [Fact]
    public void A_consuming_pair_that_loses_its_partitions_reports_no_lag_for_them()
    {
        using var factory = new TestMeterFactory();
        var metrics = new StreamMetrics(factory);
        using var pair = Pair(metrics);

        pair.OnStatistics("lead", Assigned);
        pair.OnStatistics("lead", Unassigned); // a rebalance, not a close: no stale value stays behind

        Assert.Empty(Lags(metrics));
    }

    [Fact]
    public void After_a_commit_the_lag_is_reported_without_waiting_for_statistics()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("trackrec.impressions", partitions: 1);
        using (var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig { BootstrapServers = cluster.BootstrapServers }).Build())
        {
            for (var i = 0; i < 10; i++)
                producer.Produce("trackrec.impressions", new Message<byte[]?, byte[]?> { Value = [(byte)i] });
            producer.Flush(TestContext.Current.CancellationToken);
        }
        using var factory = new TestMeterFactory();
        var metrics = new StreamMetrics(factory);
        // Statistics off, so only the commit path can report; 4 of the 10 records committed.
        using var pair = new ConsumerPair(new KafkaOptions { BootstrapServers = cluster.BootstrapServers, StatisticsInterval = TimeSpan.Zero },
            new StreamCounters(metrics), new NoAssignment(committed: 4), NullLogger.Instance);
        var partition = new TopicPartition("trackrec.impressions", 0);
        pair.Lead.Assign(new TopicPartitionOffset(partition, 0));
        // A fetch caches the partition's high watermark in the client.
        Assert.NotNull(pair.Lead.Consume(TimeSpan.FromSeconds(30)));
        Assert.Empty(Lags(metrics));

        pair.ReportCommittedLag();

        Assert.Equal([6L], Lags(metrics));
    }

    // Building the clients does not reach the (absent) broker; nothing here consumes.
    private static ConsumerPair Pair(StreamMetrics metrics) =>
        new(new KafkaOptions { BootstrapServers = "127.0.0.1:1" }, new StreamCounters(metrics), new NoAssignment(), NullLogger.Instance);

    private static List<long> Lags(StreamMetrics metrics)
    {
        var lags = new List<long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) && instrument.Name == "trackrec.consumer.lag")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => lags.Add(value));
        listener.Start();
        listener.RecordObservableInstruments();
        return lags;
    }

    private sealed class NoAssignment(long? committed = null) : IPartitionAssignment
    {
        public bool IsFinished => false;
        public ConsumerBuilder<byte[]?, byte[]?> Configure(ConsumerBuilder<byte[]?, byte[]?> lead) => lead;
        public void Start(ConsumerPair consumers) { }
        public void Dispatch(ConsumeResult<byte[]?, byte[]?> result, int input, PartitionGroupWorker worker) { }
        public bool IsEnded(TopicPartition partition) => false;
        public void CommitOwned() { }
        public long? CommittedOf(string topic, int partition) => committed;
    }
}
