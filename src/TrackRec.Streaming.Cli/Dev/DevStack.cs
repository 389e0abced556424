using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Cli.Replay;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Embedded.Registry;

namespace TrackRec.Streaming.Cli.Dev;

/// <summary>
/// The infrastructure of `trackrec dev`: librdkafka's mock cluster with every topic created, reachable on a
/// fixed port through a forwarder when one is asked for, and the embedded registry's REST endpoint. Both listen
/// on loopback TCP, so clients in other processes (kcat, Python, `trackrec run`) use them as they would a
/// real cluster and registry.
/// </summary>
internal sealed class DevStack : IAsyncDisposable
{

    private readonly EmbeddedKafkaCluster _cluster;
    private readonly TcpForwarder? _forwarder;

    private DevStack(EmbeddedKafkaCluster cluster, TcpForwarder? forwarder, EmbeddedSchemaRegistry registry, string bootstrap, TopicOptions topics)
    {
        _cluster = cluster;
        _forwarder = forwarder;
        Registry = registry;
        BootstrapServers = bootstrap;
        Topics = topics;
    }

    /// <summary>host:port clients bootstrap from.</summary>
    public string BootstrapServers { get; }

    /// <summary>The registry (its URL and a client for it).</summary>
    public EmbeddedSchemaRegistry Registry { get; }

    /// <summary>The topic names, as the worker's defaults.</summary>
    public TopicOptions Topics { get; }

    /// <summary>Every topic, in the order they are printed.</summary>
    public IReadOnlyList<string> AllTopics =>
        [Topics.Impressions, Topics.Clicks, Topics.Comments, Topics.Items, Topics.Features, Topics.UserChains, Topics.Outcomes, Topics.DeadLetters, Topics.BatchManifests];

    public static async Task<DevStack> StartAsync(DevOptions options, CancellationToken cancellationToken)
    {
        var cluster = EmbeddedKafkaCluster.Start();
        TcpForwarder? forwarder = null;
        try
        {
            var topics = new TopicOptions();
            var bootstrap = cluster.BootstrapServers;
            if (options.Port > 0)
            {
                // The mock broker's listener port is the OS's choice; relay the asked-for port to it and make the
                // broker advertise that port, so clients keep coming back through it.
                forwarder = StartForwarder(options.Port, cluster.BootstrapServers);
                cluster.AdvertiseBroker(1, "127.0.0.1", forwarder.Port);
                bootstrap = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{forwarder.Port}");
            }

            EmbeddedSchemaRegistry registry;
            try
            {
                registry = await EmbeddedSchemaRegistry.StartAsync(new EmbeddedSchemaRegistryOptions { Port = options.RegistryPort }, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // Kestrel reports a taken port as an IOException (AddressInUseException).
                throw new DevSetupException($"--registry-port {options.RegistryPort}: {e.Message} Choose another port, or 0 for a free one.", e);
            }

            var stack = new DevStack(cluster, forwarder, registry, bootstrap, topics);
            EmbeddedTopics.CreateAll(cluster, topics, options.Partitions);
            // `trackrec replay`'s default sandbox targets, so a replay from another terminal finds them.
            foreach (var output in new[] { topics.Features, topics.UserChains, topics.Outcomes, topics.DeadLetters, topics.BatchManifests })
                cluster.CreateTopic(output + ReplayJobOptions.DefaultTargetSuffix, options.Partitions);
            return stack;
        }
        catch
        {
            if (forwarder is not null)
                await forwarder.DisposeAsync().ConfigureAwait(false);
            cluster.Dispose();
            throw;
        }
    }

    private static TcpForwarder StartForwarder(int port, string target)
    {
        try
        {
            return TcpForwarder.Start(IPAddress.Loopback, port, target);
        }
        catch (SocketException e)
        {
            throw new DevSetupException($"--port {port}: cannot listen on 127.0.0.1:{port} ({e.SocketErrorCode}: {e.Message}). Choose another port, or 0 for the broker's own.", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Registry.DisposeAsync().ConfigureAwait(false);
        if (_forwarder is not null)
            await _forwarder.DisposeAsync().ConfigureAwait(false);
        _cluster.Dispose();
    }
}
