using Confluent.Kafka;
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
        failures.AddRange(Unknown("Consumer", options.Consumer));
        failures.AddRange(Unknown("Producer", options.Producer));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // librdkafka is the judge of its own properties: a producer is built (it connects to nothing until used) with
    // the operator's properties, and, when that fails, with each alone, so the message names the bad one. A producer
    // for consumer properties too: it only warns of a consumer-only property, while building a consumer here was seen
    // to disturb the embedded cluster's group offsets.
    private static IEnumerable<string> Unknown(string section, Dictionary<string, string> properties)
    {
        if (properties.Count == 0 || Accepts(properties, out _))
            yield break;
        foreach (var (key, value) in properties)
        {
            if (!Accepts(new Dictionary<string, string> { [key] = value }, out var reason))
                yield return $"TrackRec:Kafka:{section}:{key} is not accepted by librdkafka: {reason}";
        }
    }

    private static bool Accepts(Dictionary<string, string> properties, out string reason)
    {
        try
        {
            new ProducerBuilder<byte[], byte[]>(new ProducerConfig(properties)).SetLogHandler((_, _) => { }).Build().Dispose();
            reason = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or KafkaException or InvalidOperationException)
        {
            reason = ex.Message;
            return false;
        }
    }
}
