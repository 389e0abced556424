using System.Collections.Concurrent;
using Avro;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// An in-process registry for runs without a registry server. Ids are derived from the schema itself
/// (Rabin fingerprint of Avro's parsing canonical form), so separate processes agree on ids without talking
/// to each other, and every contract schema is known up front so any of them can be read by id.
/// </summary>
public sealed class EmbeddedSchemaRegistry : ISchemaRegistry
{
    private readonly ConcurrentDictionary<int, Schema> _byId = new();

    /// <summary>Creates a registry that already knows every <see cref="ContractSchemas"/> schema.</summary>
    public EmbeddedSchemaRegistry()
    {
        foreach (var schema in ContractSchemas.All)
            Add(schema);
    }

    /// <summary>
    /// The id this registry gives <paramref name="schema"/>: the 64-bit parsing fingerprint folded to a positive
    /// 31-bit int. Schemas that differ only in docs, defaults or logical types share an id, which is safe because
    /// they share a binary encoding.
    /// </summary>
    public static int IdOf(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var fingerprint = SchemaNormalization.ParsingFingerprint64(schema);
        var folded = (int)((fingerprint ^ (fingerprint >>> 32)) & 0x7FFF_FFFF);
        // Id 0 reads as "no id" in some tools; move it rather than hand it out.
        return folded == 0 ? 1 : folded;
    }

    /// <inheritdoc />
    /// <remarks>Subjects are not tracked: ids depend only on the schema, and no compatibility rules are enforced.</remarks>
    public Task<int> RegisterAsync(string subject, Schema schema, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(Add(schema));
    }

    /// <inheritdoc />
    public Task<Schema> GetSchemaAsync(int id, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        return _byId.TryGetValue(id, out var schema)
            ? Task.FromResult(schema)
            : Task.FromException<Schema>(new UnknownSchemaException(id));
    }

    private int Add(Schema schema)
    {
        var id = IdOf(schema);
        var known = _byId.GetOrAdd(id, schema);
        if (!ReferenceEquals(known, schema)
            && SchemaNormalization.ToParsingForm(known) != SchemaNormalization.ToParsingForm(schema))
        {
            // Two different encodings folded onto one id: refusing is the only safe answer.
            throw new InvalidOperationException(
                $"schemas {known.Fullname} and {schema.Fullname} collide on embedded schema id {id}");
        }

        return id;
    }
}
