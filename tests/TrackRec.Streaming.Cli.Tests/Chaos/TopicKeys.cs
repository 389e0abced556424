using Confluent.Kafka;

namespace TrackRec.Streaming.Tests.Chaos;

/// <summary>Every record key of a topic, read to its end on each partition (an audit's view of an output topic).</summary>
internal static class TopicKeys
{
    public static List<string> Read(string bootstrap, string topic)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.Single(t => t.Topic == topic).Partitions.Select(p => p.PartitionId).ToList();
        using var consumer = new ConsumerBuilder<byte[]?, Ignore>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "chaos-audit-" + Guid.NewGuid().ToString("N"), // never joined: partitions are assigned
            EnableAutoCommit = false,
        }).Build();
        var ends = partitions.ToDictionary(p => p, p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
        consumer.Assign(partitions.Where(p => ends[p] > 0).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var open = partitions.Where(p => ends[p] > 0).ToHashSet();
        var keys = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (open.Count > 0 && DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null)
                continue;
            keys.Add(System.Text.Encoding.UTF8.GetString(record.Message.Key ?? []));
            if (record.Offset.Value + 1 >= ends[record.Partition.Value])
                open.Remove(record.Partition.Value);
        }
        Assert.True(open.Count == 0, $"{topic}: partitions {string.Join(",", open)} not read to their end");
        Assert.True(keys.Count > 0 || ends.Values.All(e => e == 0), $"{topic}: nothing read");
        return keys;
    }
}
