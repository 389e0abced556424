using Avro;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// Maps schemas to the ids carried in the wire-format header and back. Implementations cache, so serdes
/// can ask on every record.
/// </summary>
public interface ISchemaRegistry
{
    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> (idempotent) and returns its id.</summary>
    Task<int> RegisterAsync(string subject, Schema schema, CancellationToken ct);

    /// <summary>Returns the schema with id <paramref name="id"/>; throws <see cref="UnknownSchemaException"/> if there is none.</summary>
    Task<Schema> GetSchemaAsync(int id, CancellationToken ct);
}
