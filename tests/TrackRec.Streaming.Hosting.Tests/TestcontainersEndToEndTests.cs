using TrackRec.Streaming.Tests.Hosting.Containers;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>
/// The main end-to-end scenarios against a real broker and a real Confluent Schema Registry in Docker (registry-assigned
/// ids, not the embedded fingerprints); reported skipped, with the reason, where no Docker engine runs.
/// </summary>
public sealed class TestcontainersEndToEndTests
{
    [Fact]
    public async Task Bounded_run_against_a_real_broker_and_registry_emits_one_feature_and_outcome_per_impression()
    {
        await using var stack = await ConfluentStack.StartOrSkipAsync(partitions: 3);
        await EndToEndScenario.RunAsync(stack.BootstrapServers, "e2e-testcontainers", stack.RegistryUrl);
    }

    [Fact]
    public async Task Training_batches_against_a_real_broker_and_registry_are_verified_and_announced()
    {
        await using var stack = await ConfluentStack.StartOrSkipAsync(partitions: 2);
        await FeedbackBatchEndToEndTests.RunAsync(stack.BootstrapServers, stack.RegistryUrl);
    }
}
