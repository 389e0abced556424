using Confluent.Kafka;
using TrackRec.Streaming.Kafka.Embedded;
using Xunit;

namespace TrackRec.Streaming.Tests.Embedded;

public sealed class EmbeddedKafkaClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Produces_and_consumes_300_keyed_messages_in_partition_order()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("orders", partitions: 3);

        var delivered = new List<DeliveryResult<string, string>>();
        using (var producer = BuildProducer(cluster, idempotent: true))
        {
            var pending = new List<Task<DeliveryResult<string, string>>>();
            for (int i = 0; i < 300; i++)
            {
                pending.Add(producer.ProduceAsync("orders", new Message<string, string> { Key = $"key-{i % 30}", Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Ct));
            }

            delivered.AddRange(await Task.WhenAll(pending));
        }

        Assert.All(delivered, d => Assert.Equal(PersistenceStatus.Persisted, d.Status));
        Assert.Equal(3, delivered.Select(d => d.Partition.Value).Distinct().Count());

        using var consumer = BuildConsumer(cluster, "group-orders");
        consumer.Subscribe("orders");
        List<ConsumeResult<string, string>> consumed = ConsumeAtLeast(consumer, 300);

        Assert.Equal(300, consumed.Count);
        Assert.Equal(300, consumed.Select(c => c.TopicPartitionOffset).Distinct().Count());

        foreach (var partition in delivered.GroupBy(d => d.Partition.Value))
        {
            string[] expected = partition.OrderBy(d => d.Offset.Value).Select(d => d.Message.Value).ToArray();
            string[] actual = consumed.Where(c => c.Partition.Value == partition.Key).Select(c => c.Message.Value).ToArray();
            Assert.Equal(expected, actual);
        }

        // Per key, the production order (ascending sequence number) survives.
        foreach (var key in consumed.GroupBy(c => c.Message.Key))
        {
            int[] values = key.Select(c => int.Parse(c.Message.Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(values.Order().ToArray(), values);
        }

        consumer.Close();
    }

    [Fact]
    public async Task Committed_offsets_survive_a_consumer_restart()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("events", partitions: 2);
        await ProduceValuesAsync(cluster, "events", Enumerable.Range(0, 100).Select(i => $"v{i}"));

        var firstRun = new List<ConsumeResult<string, string>>();
        var committed = new List<TopicPartitionOffset>();
        using (var first = BuildConsumer(cluster, "group-g"))
        {
            first.Subscribe("events");
            firstRun.AddRange(ConsumeAtLeast(first, 40).Take(40));
            committed.AddRange(firstRun
                .GroupBy(r => r.TopicPartition)
                .Select(g => new TopicPartitionOffset(g.Key, g.Max(r => r.Offset.Value) + 1)));
            first.Commit(committed);
            first.Close();
        }

        using var second = BuildConsumer(cluster, "group-g");
        second.Subscribe("events");

        // Everything not covered by the commit must come back, and nothing that was.
        int expectedRemaining = 100 - committed.Sum(c => (int)c.Offset.Value);
        List<ConsumeResult<string, string>> secondRun = ConsumeAtLeast(second, expectedRemaining);
        Assert.Equal(expectedRemaining, secondRun.Count);

        foreach (TopicPartitionOffset c in committed)
        {
            long firstOffset = secondRun.Where(r => r.TopicPartition == c.TopicPartition).Min(r => r.Offset.Value);
            Assert.Equal(c.Offset.Value, firstOffset);
        }

        List<TopicPartitionOffset> fetched = second.Committed(committed.Select(c => c.TopicPartition), TimeSpan.FromSeconds(10));
        Assert.Equal(
            committed.OrderBy(c => c.Partition.Value).Select(c => c.Offset.Value),
            fetched.OrderBy(c => c.Partition.Value).Select(c => c.Offset.Value));

        string[] all = firstRun.Concat(secondRun).Select(r => r.Message.Value).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"v{i}").Order(StringComparer.Ordinal), all);
        second.Close();
    }

    [Fact]
    public async Task Broker_down_fails_produce_and_broker_up_recovers()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("faults", partitions: 1);

        var config = ProducerConfig(cluster, idempotent: false);
        config.MessageTimeoutMs = 3000;
        config.ReconnectBackoffMs = 50;
        config.ReconnectBackoffMaxMs = 250;
        using var producer = new ProducerBuilder<string, string>(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();

        var before = await producer.ProduceAsync("faults", new Message<string, string> { Key = "k", Value = "before" }, Ct);
        Assert.Equal(PersistenceStatus.Persisted, before.Status);

        cluster.SetBrokerDown(1);
        var failure = await Assert.ThrowsAsync<ProduceException<string, string>>(
            () => producer.ProduceAsync("faults", new Message<string, string> { Key = "k", Value = "while-down" }, Ct));
        Assert.NotEqual(PersistenceStatus.Persisted, failure.DeliveryResult.Status);

        cluster.SetBrokerUp(1);
        var after = await producer.ProduceAsync("faults", new Message<string, string> { Key = "k", Value = "after" }, Ct);
        Assert.Equal(PersistenceStatus.Persisted, after.Status);

        using var consumer = BuildConsumer(cluster, "group-faults");
        consumer.Subscribe("faults");
        string[] values = ConsumeAtLeast(consumer, 2).Select(r => r.Message.Value).ToArray();
        Assert.Equal(["before", "after"], values);
        consumer.Close();
    }

    [Fact]
    public async Task Injected_errors_reach_the_producer_and_an_idempotent_producer_retries_NotLeader_exactly_once()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("retries", partitions: 1);

        // Control: a non-retriable error reaches the application, so injection really happens.
        using (var plain = BuildProducer(cluster, idempotent: false))
        {
            await plain.ProduceAsync("retries", new Message<string, string> { Key = "k", Value = "warm-up" }, Ct);
            cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.TopicAuthorizationFailed);
            var ex = await Assert.ThrowsAsync<ProduceException<string, string>>(
                () => plain.ProduceAsync("retries", new Message<string, string> { Key = "k", Value = "rejected" }, Ct));
            Assert.Equal(ErrorCode.TopicAuthorizationFailed, ex.Error.Code);
        }

        string? lastStats = null;
        var config = ProducerConfig(cluster, idempotent: true);
        config.StatisticsIntervalMs = 100;
        using (var producer = new ProducerBuilder<string, string>(config)
                   .SetLogHandler((_, _) => { })
                   .SetStatisticsHandler((_, json) => Volatile.Write(ref lastStats, json))
                   .Build())
        {
            await producer.ProduceAsync("retries", new Message<string, string> { Key = "k", Value = "warm-up-2" }, Ct);
            cluster.PushRequestErrors(
                KafkaApiKey.Produce,
                ErrorCode.NotLeaderForPartition,
                ErrorCode.NotLeaderForPartition,
                ErrorCode.NotLeaderForPartition);
            var result = await producer.ProduceAsync("retries", new Message<string, string> { Key = "k", Value = "exactly-once" }, Ct);
            Assert.Equal(PersistenceStatus.Persisted, result.Status);

            // 1 warm-up + 3 rejected + 1 accepted Produce requests: proves the retries happened.
            DateTime deadline = DateTime.UtcNow + Deadline;
            while (ProduceRequestCount(Volatile.Read(ref lastStats)) < 5)
            {
                Assert.True(DateTime.UtcNow < deadline, "Statistics never showed the retried Produce requests: " + Volatile.Read(ref lastStats));
                producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }

        using var consumer = BuildConsumer(cluster, "group-retries");
        consumer.Subscribe("retries");
        string[] values = ConsumeAtLeast(consumer, 3).Select(r => r.Message.Value).ToArray();
        Assert.Equal(["warm-up", "warm-up-2", "exactly-once"], values);
        Assert.Equal(3, GetHighWatermark(consumer, "retries", 0));
        consumer.Close();
    }

    [Fact]
    public async Task Two_clusters_run_side_by_side_and_dispose_is_idempotent()
    {
        var a = EmbeddedKafkaCluster.Start();
        var b = EmbeddedKafkaCluster.Start(brokers: 3);
        try
        {
            Assert.NotEqual(a.BootstrapServers, b.BootstrapServers);
            Assert.Equal(3, b.BootstrapServers.Split(',').Length);

            a.CreateTopic("shared", partitions: 1);
            b.CreateTopic("shared", partitions: 1, replicationFactor: 3);
            b.CreateTopic("shared", partitions: 1, replicationFactor: 3); // existing topic: no error

            await ProduceValuesAsync(a, "shared", ["from-a"]);
            await ProduceValuesAsync(b, "shared", ["from-b-1", "from-b-2"]);

            using (var ca = BuildConsumer(a, "g"))
            using (var cb = BuildConsumer(b, "g"))
            {
                ca.Subscribe("shared");
                cb.Subscribe("shared");
                Assert.Equal(["from-a"], ConsumeAtLeast(ca, 1).Select(r => r.Message.Value));
                Assert.Equal(["from-b-1", "from-b-2"], ConsumeAtLeast(cb, 2).Select(r => r.Message.Value));
                Assert.Equal(1, GetHighWatermark(ca, "shared", 0));
                Assert.Equal(2, GetHighWatermark(cb, "shared", 0));
                ca.Close();
                cb.Close();
            }
        }
        finally
        {
            a.Dispose();
            a.Dispose();
            Parallel.Invoke(b.Dispose, b.Dispose, b.Dispose);
            b.Dispose();
        }

        Assert.Throws<ObjectDisposedException>(() => a.CreateTopic("late", 1));
        Assert.Throws<ObjectDisposedException>(() => a.SetBrokerDown(1));
        Assert.Throws<ObjectDisposedException>(() => a.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotLeaderForPartition));
        Assert.Throws<ObjectDisposedException>(() => _ = b.BootstrapServers);
    }

    [Fact]
    public void Binds_to_the_librdkafka_file_Confluent_Kafka_loaded()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        string? path = LibrdkafkaNative.LoadedPath;
        Assert.NotNull(path);
        Assert.Contains("librdkafka", Path.GetFileName(path), StringComparison.OrdinalIgnoreCase);
        if (OperatingSystem.IsLinux())
        {
            // Exactly one librdkafka is mapped: the client's and the mock's are the same copy.
            string[] mapped = File.ReadAllLines("/proc/self/maps")
                .Where(l => l.Contains("librdkafka", StringComparison.OrdinalIgnoreCase))
                .Select(l => l[l.IndexOf('/', StringComparison.Ordinal)..].Trim())
                .Distinct()
                .ToArray();
            Assert.Equal([path], mapped);
        }
    }

    [Fact]
    public void Rejects_invalid_arguments_with_managed_exceptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmbeddedKafkaCluster.Start(0));

        using var cluster = EmbeddedKafkaCluster.Start(brokers: 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.CreateTopic("t", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.CreateTopic("t", 1, replicationFactor: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetBrokerDown(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetBrokerRoundTripTime(1, TimeSpan.FromMilliseconds(-1)));

        cluster.SetBrokerRoundTripTime(EmbeddedKafkaCluster.AllBrokers, TimeSpan.FromMilliseconds(5));
        cluster.SetInitialRebalanceDelay(TimeSpan.Zero);
        cluster.PushRequestErrors(KafkaApiKey.Fetch); // nothing to push is fine
    }

    private static ProducerConfig ProducerConfig(EmbeddedKafkaCluster cluster, bool idempotent) => new()
    {
        BootstrapServers = cluster.BootstrapServers,
        Acks = Acks.All,
        EnableIdempotence = idempotent,
        LingerMs = 5,
        MessageTimeoutMs = 30_000,
    };

    private static IProducer<string, string> BuildProducer(EmbeddedKafkaCluster cluster, bool idempotent) =>
        new ProducerBuilder<string, string>(ProducerConfig(cluster, idempotent)).SetLogHandler((_, _) => { }).Build();

    private static IConsumer<string, string> BuildConsumer(EmbeddedKafkaCluster cluster, string groupId) =>
        new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = groupId,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
            SessionTimeoutMs = 2000,
            HeartbeatIntervalMs = 500,
        }).SetLogHandler((_, _) => { }).Build();

    private static async Task ProduceValuesAsync(EmbeddedKafkaCluster cluster, string topic, IEnumerable<string> values)
    {
        using var producer = BuildProducer(cluster, idempotent: true);
        foreach (string value in values)
        {
            var result = await producer.ProduceAsync(topic, new Message<string, string> { Key = value, Value = value }, Ct);
            Assert.Equal(PersistenceStatus.Persisted, result.Status);
        }
    }

    /// <summary>Consumes until <paramref name="count"/> records arrived, then drains briefly to catch extras.</summary>
    private static List<ConsumeResult<string, string>> ConsumeAtLeast(IConsumer<string, string> consumer, int count)
    {
        var results = new List<ConsumeResult<string, string>>();
        DateTime deadline = DateTime.UtcNow + Deadline;
        while (results.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Consumed only {results.Count} of {count} records before the deadline.");
            Ct.ThrowIfCancellationRequested();
            ConsumeResult<string, string>? r = consumer.Consume(TimeSpan.FromMilliseconds(250));
            if (r is { IsPartitionEOF: false })
            {
                results.Add(r);
            }
        }

        // Anything beyond the expected count would be a duplicate or a leak from elsewhere.
        for (ConsumeResult<string, string>? extra = consumer.Consume(TimeSpan.FromMilliseconds(500)); extra is not null; extra = consumer.Consume(TimeSpan.FromMilliseconds(500)))
        {
            if (!extra.IsPartitionEOF)
            {
                results.Add(extra);
            }
        }

        return results;
    }

    private static long ProduceRequestCount(string? statisticsJson)
    {
        if (statisticsJson is null)
        {
            return 0;
        }

        using var doc = System.Text.Json.JsonDocument.Parse(statisticsJson);
        long total = 0;
        foreach (var broker in doc.RootElement.GetProperty("brokers").EnumerateObject())
        {
            if (broker.Value.TryGetProperty("req", out var req) && req.TryGetProperty("Produce", out var produce))
            {
                total += produce.GetInt64();
            }
        }

        return total;
    }

    private static long GetHighWatermark(IConsumer<string, string> consumer, string topic, int partition) =>
        consumer.QueryWatermarkOffsets(new TopicPartition(topic, partition), TimeSpan.FromSeconds(10)).High.Value;
}
