using Confluent.SchemaRegistry;

namespace TrackRec.Streaming.Kafka.Configuration;

/// <summary>
/// Turns <see cref="KafkaOptions"/> into Confluent's <see cref="SchemaRegistryConfig"/>: every
/// <c>TrackRec:Kafka:SchemaRegistry:*</c> key is passed through (prefixed with <c>schema.registry.</c> if it is not
/// already), and <see cref="KafkaOptions.SchemaRegistryUrl"/> is the URL unless that section names one.
/// </summary>
public static class SchemaRegistrySettings
{
    /// <summary>The prefix of Confluent's registry client properties.</summary>
    public const string Prefix = "schema.registry.";

    /// <summary>The client config of <paramref name="options"/>; its URL is empty when the embedded registry is meant.</summary>
    public static SchemaRegistryConfig ToConfig(KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new SchemaRegistryConfig();
        if (!string.IsNullOrWhiteSpace(options.SchemaRegistryUrl))
            config.Url = options.SchemaRegistryUrl;
        foreach (var (key, value) in options.SchemaRegistry)
            config.Set(PropertyName(key), value);
        return config;
    }

    /// <summary>True when the settings name a registry, false when the embedded one is to be started.</summary>
    public static bool NamesARegistry(KafkaOptions options) => !string.IsNullOrWhiteSpace(ToConfig(options).Url);

    /// <summary>Confluent's property name for a configuration key (<c>url</c> → <c>schema.registry.url</c>).</summary>
    public static string PropertyName(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return key.StartsWith(Prefix, StringComparison.Ordinal) ? key : Prefix + key;
    }
}
