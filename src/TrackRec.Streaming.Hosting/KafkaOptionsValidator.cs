using Microsoft.Extensions.Options;
using TrackRec.Streaming.Kafka.Configuration;

namespace TrackRec.Streaming.Hosting;

/// <summary>Checks the Kafka settings that attributes cannot, naming the setting so a bad deploy fails at start-up with a fix.</summary>
internal sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
            failures.Add("TrackRec:Kafka:BootstrapServers is required (e.g. 'kafka:9092'; env TrackRec__Kafka__BootstrapServers)");
        if (string.IsNullOrWhiteSpace(options.GroupId))
            failures.Add("TrackRec:Kafka:GroupId must not be empty");
        if (!string.IsNullOrWhiteSpace(options.SchemaRegistryUrl)
            && (!Uri.TryCreate(options.SchemaRegistryUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
            failures.Add($"TrackRec:Kafka:SchemaRegistryUrl '{options.SchemaRegistryUrl}' is not an http(s) URL (leave it empty for the embedded registry)");
        failures.AddRange(SchemaRegistrySettingsCheck.Failures(options));
        if (options.MaxBufferedPerPartition < 2)
            failures.Add("TrackRec:Kafka:MaxBufferedPerPartition must be at least 2");
        foreach (var key in options.Consumer.Keys.Concat(options.Producer.Keys))
        {
            if (key is "enable.auto.commit" or "enable.auto.offset.store" or "enable.idempotence")
                failures.Add($"TrackRec:Kafka: '{key}' is managed by the worker (at-least-once offsets, idempotent output) and cannot be overridden");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
