using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded;

namespace TrackRec.Streaming.Cli.Demo;

/// <summary>Creates every topic the worker reads or writes on an embedded cluster (the mock has no admin API for it).</summary>
internal static class EmbeddedTopics
{
    public static void CreateAll(EmbeddedKafkaCluster cluster, TopicOptions topics, int partitions)
    {
        foreach (var topic in new[] { topics.Impressions, topics.Clicks, topics.Comments, topics.Items, topics.Features, topics.UserChains, topics.Outcomes, topics.DeadLetters, topics.BatchManifests })
            cluster.CreateTopic(topic, partitions);
    }
}
