using Microsoft.Extensions.Options;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>Bad settings fail the host at start-up, naming the configuration keys to fix.</summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public async Task Empty_bootstrap_servers_fail_start_naming_the_key()
    {
        using var host = WorkerHarness.BuildHost("", new EmbeddedSchemaRegistry(), "validation", stopAtEnd: true, workerId: "validation");

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(WorkerHarness.Ct));

        Assert.Contains("TrackRec:Kafka:BootstrapServers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_topic_names_fail_start_naming_both_keys()
    {
        using var host = WorkerHarness.BuildHost(
            "localhost:1", new EmbeddedSchemaRegistry(), "validation", stopAtEnd: true, workerId: "validation",
            new Dictionary<string, string?> { ["TrackRec:Topics:Features"] = WorkerHarness.Topics.Impressions });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(WorkerHarness.Ct));

        Assert.Contains("TrackRec:Topics", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Impressions", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Features", ex.Message, StringComparison.Ordinal);
        Assert.Contains(WorkerHarness.Topics.Impressions, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_librdkafka_property_it_does_not_know_fails_start_naming_the_key()
    {
        using var host = WorkerHarness.BuildHost(
            "localhost:1", new EmbeddedSchemaRegistry(), "validation", stopAtEnd: true, workerId: "validation",
            new Dictionary<string, string?>
            {
                ["TrackRec:Kafka:Consumer:bogus.property"] = "1",
                ["TrackRec:Kafka:Consumer:fetch.wait.max.ms"] = "20", // a good one beside it is not blamed
                ["TrackRec:Kafka:Producer:linger.ms"] = "not a number",
            });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(WorkerHarness.Ct));

        Assert.Contains("TrackRec:Kafka:Consumer:bogus.property", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TrackRec:Kafka:Producer:linger.ms", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("fetch.wait.max.ms", ex.Message, StringComparison.Ordinal);
    }
}
