using Confluent.Kafka;
using Confluent.Kafka.Admin;
using DotNet.Testcontainers.Builders;
using Testcontainers.Kafka;
using Xunit;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>Test 1's scenario against a real broker in Docker; reported skipped (with the reason) when there is no Docker engine.</summary>
public sealed class TestcontainersEndToEndTests
{
    [Fact]
    public async Task Bounded_run_against_a_real_broker_emits_one_feature_and_outcome_per_impression()
    {
        KafkaContainer container;
        try
        {
            container = new KafkaBuilder("confluentinc/cp-kafka:7.6.1").Build();
        }
        catch (DockerUnavailableException ex)
        {
            Assert.Skip("Docker engine not available: " + ex.Message);
            return;
        }

        await using (container)
        {
            try
            {
                await container.StartAsync(WorkerHarness.Ct);
            }
            catch (DockerUnavailableException ex)
            {
                Assert.Skip("Docker engine not available: " + ex.Message);
            }

            var bootstrap = container.GetBootstrapAddress();
            using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
            {
                await admin.CreateTopicsAsync(WorkerHarness.AllTopics.Select(t => new TopicSpecification { Name = t, NumPartitions = 3, ReplicationFactor = 1 }));
            }
            await EndToEndScenario.RunAsync(bootstrap, "e2e-testcontainers");
        }
    }
}
