using System.Collections.Concurrent;
using Avro.Generic;
using Avro.IO;
using Confluent.SchemaRegistry;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// Reads what the bench groups by from a feature record, by the writer's own schema rather than the C# type:
/// the <c>source</c> symbol (so symbols added to the enum appear as their own group without a change here)
/// and <c>chain_age_ms</c> when the writer's schema has it (null otherwise).
/// </summary>
internal sealed class FeatureProbe(ISchemaRegistryClient registry)
{
    private readonly ConcurrentDictionary<int, GenericDatumReader<GenericRecord>> _readers = new();

    public async ValueTask<(string Source, bool CarriesAge, long? ChainAgeMs)> ReadAsync(byte[] value, CancellationToken cancellationToken)
    {
        var (schemaId, body) = AvroWireFormat.Read(value);
        if (!_readers.TryGetValue(schemaId, out var reader))
        {
            var registered = await registry.GetSchemaAsync(schemaId).WaitAsync(cancellationToken).ConfigureAwait(false);
            var schema = Avro.Schema.Parse(registered.SchemaString);
            reader = _readers.GetOrAdd(schemaId, new GenericDatumReader<GenericRecord>(schema, schema));
        }
        using var stream = new MemoryStream(body.ToArray(), writable: false);
        var record = reader.Read(null!, new BinaryDecoder(stream));
        var source = record.TryGetValue("source", out var s) && s is GenericEnum e ? e.Value : "UNKNOWN";
        var carriesAge = record.TryGetValue("chain_age_ms", out var a);
        return (source, carriesAge, a is long ms ? ms : null);
    }
}
