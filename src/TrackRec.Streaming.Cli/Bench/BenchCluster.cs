using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// A fresh embedded cluster per phase with the worker's topics, so no phase reads another's records or
/// inherits its broker state; one registry shared by producers and workers, so schema ids agree.
/// </summary>
internal sealed class BenchCluster : IDisposable
{
    private readonly EmbeddedKafkaCluster _cluster;

    private BenchCluster(EmbeddedKafkaCluster cluster, int partitions)
    {
        _cluster = cluster;
        Partitions = partitions;
        Serdes = new StreamSerdes(Registry.Client, Topics);
    }

    public static BenchCluster Start(int partitions)
    {
        var cluster = EmbeddedKafkaCluster.Start();
        var bench = new BenchCluster(cluster, partitions);
        EmbeddedTopics.CreateAll(cluster, bench.Topics, partitions);
        return bench;
    }

    public int Partitions { get; }
    public string BootstrapServers => _cluster.BootstrapServers;
    public TopicOptions Topics { get; } = new();
    public EmbeddedSchemaRegistry Registry { get; } = EmbeddedSchemaRegistry.Start();
    public StreamSerdes Serdes { get; }

    /// <summary>Writes items and events onto the input topics as upstream would (not timed).</summary>
    public Task ProduceAsync(EventStream stream, CancellationToken cancellationToken) =>
        new EventStreamProducer(BootstrapServers, Serdes).ProduceAsync(stream, malformedShare: 0, seed: 0, cancellationToken);

    /// <summary>Writes only the catalog, for phases whose events come from a pacer.</summary>
    public Task ProduceItemsAsync(EventStream stream, CancellationToken cancellationToken) =>
        ProduceAsync(new EventStream(stream.Items, []), cancellationToken);

    public void Dispose()
    {
        Registry.Dispose();
        _cluster.Dispose();
    }
}
