using Microsoft.Extensions.Options;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>Bad health and telemetry settings fail start-up, naming the setting.</summary>
public sealed class TelemetryOptionsValidationTests
{
    [Theory]
    [InlineData("TrackRec:Telemetry:OtlpEndpoint", "not a url", "TrackRec:Telemetry:OtlpEndpoint")]
    [InlineData("TrackRec:Telemetry:OtlpEndpoint", "ftp://collector:4317", "TrackRec:Telemetry:OtlpEndpoint")]
    [InlineData("TrackRec:Telemetry:Prometheus", "true", "TrackRec:Health:Port")]
    [InlineData("TrackRec:Health:Port", "70000", "TrackRec:Health:Port")]
    [InlineData("TrackRec:Health:LivenessThreshold", "00:00:00", "TrackRec:Health:LivenessThreshold")]
    public async Task Bad_setting_fails_start_naming_the_key(string key, string value, string named)
    {
        using var host = WorkerHarness.BuildHost(
            "localhost:1", (Uri?)null, "validation", stopAtEnd: true, workerId: "validation",
            new Dictionary<string, string?> { [key] = value });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(WorkerHarness.Ct));

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }
}
