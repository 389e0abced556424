using Microsoft.Extensions.Options;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Hosting;

/// <summary>Bad settings fail the host at start-up, naming the configuration keys to fix.</summary>
public sealed class OptionsValidationTests
{
    // Starts a worker host whose one unusual setting is key = value, and returns what its start threw.
    private static async Task<Exception> StartFailureAsync(string key, string value)
    {
        using var host = WorkerHarness.BuildHost(
            "localhost:1", (Uri?)null, "validation", stopAtEnd: true, workerId: "validation",
            new Dictionary<string, string?> { [key] = value });
        return await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync(WorkerHarness.Ct));
    }

    [Fact]
    public async Task Empty_bootstrap_servers_fail_start_naming_the_key()
    {
        using var host = WorkerHarness.BuildHost("", (Uri?)null, "validation", stopAtEnd: true, workerId: "validation");

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(WorkerHarness.Ct));

        Assert.Contains("TrackRec:Kafka:BootstrapServers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zero_encoder_cache_fails_start_naming_the_key()
    {
        var ex = Assert.IsType<OptionsValidationException>(await StartFailureAsync("TrackRec:Models:EncoderCacheTexts", "0"));

        Assert.Contains("TrackRec:Models:EncoderCacheTexts", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7")] // a number binds to the enum unchecked; validation names it
    [InlineData("Precision")] // a name the enum lacks fails the binder, which names the key too
    public async Task An_unknown_reward_rule_fails_start_naming_the_key(string value)
    {
        var ex = await StartFailureAsync("TrackRec:Pipeline:Writer:Reward", value);

        Assert.True(ex is OptionsValidationException or InvalidOperationException, ex.ToString());
        Assert.Contains("TrackRec:Pipeline:Writer:Reward", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retraining_in_a_host_without_a_trainer_fails_start_naming_the_key()
    {
        var ex = Assert.IsType<OptionsValidationException>(await StartFailureAsync("TrackRec:Retraining:Enabled", "true"));

        Assert.Contains("TrackRec:Retraining:Enabled", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_settings_are_validated_in_a_host_given_fixed_roles_too()
    {
        var ex = Assert.IsType<OptionsValidationException>(await StartFailureAsync("TrackRec:Models:Roles:Explorer:Backend", "Llm"));

        Assert.Contains("TrackRec:Models:Roles:Explorer:Backend", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replay_reads_its_settings_validated_before_its_host_exists()
    {
        var settings = new TrackRec.Streaming.Hosting.WorkerHostOptions
        {
            UseDefaults = false,
            Settings = [new Dictionary<string, string?> { ["TrackRec:Kafka:BootstrapServers"] = "" }],
        };

        using var read = TrackRec.Streaming.Hosting.WorkerHost.ReadSettings(settings);
        var ex = Assert.Throws<OptionsValidationException>(() => read.Get<TrackRec.Streaming.Kafka.Configuration.KafkaOptions>());

        Assert.Contains("TrackRec:Kafka:BootstrapServers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_topic_names_fail_start_naming_both_keys()
    {
        var ex = Assert.IsType<OptionsValidationException>(await StartFailureAsync("TrackRec:Topics:Features", WorkerHarness.Topics.Impressions));

        Assert.Contains("TrackRec:Topics", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Impressions", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Features", ex.Message, StringComparison.Ordinal);
        Assert.Contains(WorkerHarness.Topics.Impressions, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_librdkafka_property_it_does_not_know_fails_start_naming_the_key()
    {
        using var host = WorkerHarness.BuildHost(
            "localhost:1", (Uri?)null, "validation", stopAtEnd: true, workerId: "validation",
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

    [Fact]
    public async Task An_unknown_schema_registry_setting_fails_start_naming_it()
    {
        var ex = Assert.IsType<OptionsValidationException>(await StartFailureAsync("TrackRec:Kafka:SchemaRegistry:basic.auth.user.inf", "u:p"));

        Assert.Contains("TrackRec:Kafka:SchemaRegistry:basic.auth.user.inf", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_registry_credentials_fail_start_without_echoing_them()
    {
        using var host = WorkerHarness.BuildHost(
            "localhost:1", (Uri?)null, "validation", stopAtEnd: true, workerId: "validation",
            new Dictionary<string, string?>
            {
                ["TrackRec:Kafka:SchemaRegistry:url"] = "http://registry.invalid:8081",
                ["TrackRec:Kafka:SchemaRegistry:basic.auth.credentials.source"] = "USER_INFO",
                ["TrackRec:Kafka:SchemaRegistry:basic.auth.user.info"] = "no-colon-s3cret",
            });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(WorkerHarness.Ct));

        Assert.Contains("TrackRec:Kafka:SchemaRegistry", ex.Message, StringComparison.Ordinal);
        Assert.Contains("basic.auth.user.info", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }
}
