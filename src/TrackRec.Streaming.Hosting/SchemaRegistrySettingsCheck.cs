using Confluent.SchemaRegistry;
using TrackRec.Streaming.Kafka.Configuration;

namespace TrackRec.Streaming.Hosting;

/// <summary>
/// Checks <c>TrackRec:Kafka:SchemaRegistry:*</c> by handing it to Confluent's client, which knows its own
/// properties, so a typo or a malformed credential stops start-up naming the setting instead of failing on the
/// first record. Messages never echo values: they can hold credentials.
/// </summary>
internal static class SchemaRegistrySettingsCheck
{
    public static IEnumerable<string> Failures(KafkaOptions options)
    {
        foreach (var key in options.SchemaRegistry.Keys)
        {
            var property = SchemaRegistrySettings.PropertyName(key);
            if (!KnownProperties.Contains(property))
                yield return $"TrackRec:Kafka:SchemaRegistry:{key} is not a Confluent schema registry client setting ({property})";
        }

        if (!SchemaRegistrySettings.NamesARegistry(options))
            yield break; // the embedded registry: nothing else to check

        string? failure = null;
        try
        {
            using var client = new CachedSchemaRegistryClient(SchemaRegistrySettings.ToConfig(options));
        }
        catch (ArgumentException e)
        {
            failure = $"TrackRec:Kafka:SchemaRegistry: {e.Message}";
        }

        if (failure is not null)
            yield return failure;
    }

    private static readonly HashSet<string> KnownProperties = typeof(SchemaRegistryConfig.PropertyNames)
        .GetFields()
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);
}
