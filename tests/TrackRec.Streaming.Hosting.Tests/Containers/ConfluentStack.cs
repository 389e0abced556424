using Confluent.Kafka;
using Confluent.Kafka.Admin;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;
using Testcontainers.Kafka;
using Xunit;

namespace TrackRec.Streaming.Tests.Hosting.Containers;

/// <summary>
/// A real Kafka broker and a real Confluent Schema Registry in Docker, on one network, with the worker's topics
/// created. Where no Docker engine runs, <see cref="StartOrSkipAsync"/> reports the test skipped with the reason.
/// </summary>
internal sealed class ConfluentStack : IAsyncDisposable
{
    private const string Version = "7.6.1";
    private const int RegistryPort = 8081;
    private readonly INetwork _network;
    private readonly KafkaContainer _kafka;
    private readonly IContainer _registry;

    private ConfluentStack(INetwork network, KafkaContainer kafka, IContainer registry)
    {
        _network = network;
        _kafka = kafka;
        _registry = registry;
    }

    public string BootstrapServers => _kafka.GetBootstrapAddress();

    public Uri RegistryUrl => new($"http://{_registry.Hostname}:{_registry.GetMappedPublicPort(RegistryPort)}/");

    /// <summary>Starts the stack with <paramref name="partitions"/> per topic, or skips the calling test.</summary>
    public static async Task<ConfluentStack> StartOrSkipAsync(int partitions)
    {
        ConfluentStack stack;
        try
        {
            var network = new NetworkBuilder().Build();
            var kafka = new KafkaBuilder($"confluentinc/cp-kafka:{Version}")
                .WithNetwork(network)
                .WithListener("kafka:19092") // what the registry, inside the network, connects to
                .Build();
            var registry = new ContainerBuilder($"confluentinc/cp-schema-registry:{Version}")
                .WithNetwork(network)
                .WithEnvironment("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                .WithEnvironment("SCHEMA_REGISTRY_LISTENERS", $"http://0.0.0.0:{RegistryPort}")
                .WithEnvironment("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
                .WithPortBinding(RegistryPort, assignRandomHostPort: true)
                .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(RegistryPort).ForPath("/subjects")))
                .DependsOn(kafka)
                .Build();
            stack = new ConfluentStack(network, kafka, registry);
        }
        catch (DockerUnavailableException ex)
        {
            Assert.Skip("Docker engine not available: " + ex.Message);
            throw; // unreachable: Skip throws
        }

        try
        {
            await stack._registry.StartAsync(WorkerHarness.Ct); // starts the network and Kafka first (DependsOn)
        }
        catch (DockerUnavailableException ex)
        {
            await stack.DisposeAsync();
            Assert.Skip("Docker engine not available: " + ex.Message);
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = stack.BootstrapServers }).Build();
        await admin.CreateTopicsAsync(WorkerHarness.AllTopics.Select(t => new TopicSpecification { Name = t, NumPartitions = partitions, ReplicationFactor = 1 }));
        return stack;
    }

    public async ValueTask DisposeAsync()
    {
        await _registry.DisposeAsync();
        await _kafka.DisposeAsync();
        await _network.DisposeAsync();
    }
}
