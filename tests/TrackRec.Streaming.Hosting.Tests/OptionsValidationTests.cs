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
        using var host = WorkerHarness.BuildHost("", (Uri?)null, "validation", stopAtEnd: true, workerId: "validation");

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(WorkerHarness.Ct));

        Assert.Contains("TrackRec:Kafka:BootstrapServers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_topic_names_fail_start_naming_both_keys()
    {
        using var host = WorkerHarness.BuildHost(
            "localhost:1", (Uri?)null, "validation", stopAtEnd: true, workerId: "validation",
            new Dictionary<string, string?> { ["TrackRec:Topics:Features"] = WorkerHarness.Topics.Impressions });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(WorkerHarness.Ct));

        Assert.Contains("TrackRec:Topics", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Impressions", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Features", ex.Message, StringComparison.Ordinal);
        Assert.Contains(WorkerHarness.Topics.Impressions, ex.Message, StringComparison.Ordinal);
    }
}
