using Confluent.Kafka;
using TrackRec.Streaming.Kafka.Configuration;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>Partition counts from the cluster, and the co-partitioning check the join depends on.</summary>
public static class TopicMetadata
{
    /// <summary>The partition ids of a topic; throws <see cref="TopicConfigurationException"/> if it does not exist.</summary>
    public static IReadOnlyList<int> Partitions(KafkaOptions options, string topic) => Partitions(options, [topic])[topic];

    /// <summary>The partition ids of several topics, from one metadata request; throws <see cref="TopicConfigurationException"/> if one does not exist.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<int>> Partitions(KafkaOptions options, IReadOnlyList<string> topics)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AdminClientConfig { BootstrapServers = options.BootstrapServers };
        // Only the connection settings apply to the admin client; consumer tuning would draw warnings.
        foreach (var (key, value) in options.Consumer)
        {
            if (key.StartsWith("security.", StringComparison.Ordinal) || key.StartsWith("sasl.", StringComparison.Ordinal)
                || key.StartsWith("ssl.", StringComparison.Ordinal) || key.StartsWith("client.dns", StringComparison.Ordinal))
                config.Set(key, value);
        }
        using var admin = new AdminClientBuilder(config).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(15));
        var result = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            var found = metadata.Topics.SingleOrDefault(t => t.Topic == topic);
            if (found is null || found.Error.IsError || found.Partitions.Count == 0)
                throw new TopicConfigurationException($"topic '{topic}' does not exist or has no partitions ({found?.Error.Reason ?? "no metadata"})");
            result[topic] = [.. found.Partitions.Select(p => p.PartitionId).Order()];
        }
        return result;
    }

    /// <summary>
    /// Fails unless every behaviour input has the same number of partitions: user u's impressions,
    /// clicks and comments must meet in one worker for the join to see them together.
    /// </summary>
    public static int RequireCoPartitioned(KafkaOptions options, TopicOptions topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var partitions = Partitions(options, topics.BehaviourInputs);
        var counts = topics.BehaviourInputs.Select(t => (Topic: t, Count: partitions[t].Count)).ToList();
        if (counts.Select(c => c.Count).Distinct().Count() > 1)
            throw new TopicConfigurationException(
                "TrackRec:Topics: the behaviour inputs must be co-partitioned (same partition count, keyed by user id), but "
                + string.Join(", ", counts.Select(c => $"'{c.Topic}' has {c.Count}")));
        return counts[0].Count;
    }
}
