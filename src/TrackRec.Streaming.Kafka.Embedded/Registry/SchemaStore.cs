using Avro;

namespace TrackRec.Streaming.Kafka.Embedded.Registry;

/// <summary>
/// What the embedded registry knows: schemas by id and the versions of each subject. Ids are derived from the
/// schema itself (<see cref="IdOf"/>), so separate processes agree on ids without talking to each other, and
/// records written under an embedded registry before stay readable under any other embedded registry.
/// Thread-safe.
/// </summary>
public sealed class SchemaStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Schema> _byId = [];
    private readonly SortedDictionary<string, List<int>> _subjects = new(StringComparer.Ordinal);

    /// <summary>Creates a store that already knows <paramref name="preloaded"/> by id (under no subject).</summary>
    public SchemaStore(IEnumerable<Schema> preloaded)
    {
        ArgumentNullException.ThrowIfNull(preloaded);
        foreach (var schema in preloaded)
            AddById(schema);
    }

    /// <summary>
    /// The id of <paramref name="schema"/>: the 64-bit parsing fingerprint folded to a positive 31-bit int. Schemas
    /// that differ only in docs, defaults or logical types share an id, which is safe because they share a binary
    /// encoding.
    /// </summary>
    public static int IdOf(Schema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var fingerprint = SchemaNormalization.ParsingFingerprint64(schema);
        var folded = (int)((fingerprint ^ (fingerprint >>> 32)) & 0x7FFF_FFFF);
        // Id 0 reads as "no id" in some tools; move it rather than hand it out.
        return folded == 0 ? 1 : folded;
    }

    /// <summary>
    /// Registers <paramref name="schema"/> under <paramref name="subject"/>: returns its id and version, adding a
    /// version only if the subject does not hold this schema yet (as Confluent's registry does).
    /// </summary>
    public (int Id, int Version) Register(string subject, Schema schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        lock (_gate)
        {
            var id = AddById(schema);
            if (!_subjects.TryGetValue(subject, out var versions))
                _subjects[subject] = versions = [];
            var index = versions.IndexOf(id);
            if (index < 0)
            {
                versions.Add(id);
                index = versions.Count - 1;
            }

            return (id, index + 1);
        }
    }

    /// <summary>The schema with id <paramref name="id"/>, or null.</summary>
    public Schema? Find(int id)
    {
        lock (_gate)
            return _byId.GetValueOrDefault(id);
    }

    /// <summary>Subjects in name order.</summary>
    public IReadOnlyList<string> Subjects()
    {
        lock (_gate)
            return [.. _subjects.Keys];
    }

    /// <summary>The version numbers of <paramref name="subject"/> (1-based), or null if it has none.</summary>
    public IReadOnlyList<int>? Versions(string subject)
    {
        lock (_gate)
            return _subjects.TryGetValue(subject, out var ids) ? [.. Enumerable.Range(1, ids.Count)] : null;
    }

    /// <summary>The schema id of <paramref name="version"/> of <paramref name="subject"/> (-1: the latest), or null.</summary>
    public int? IdAt(string subject, int version)
    {
        lock (_gate)
        {
            if (!_subjects.TryGetValue(subject, out var ids) || ids.Count == 0)
                return null;
            if (version == -1)
                return ids[^1];
            return version >= 1 && version <= ids.Count ? ids[version - 1] : null;
        }
    }

    /// <summary>The version under which <paramref name="subject"/> holds <paramref name="schema"/>, or null.</summary>
    public int? VersionOf(string subject, Schema schema)
    {
        var id = IdOf(schema);
        lock (_gate)
        {
            if (!_subjects.TryGetValue(subject, out var ids))
                return null;
            var index = ids.IndexOf(id);
            return index < 0 ? null : index + 1;
        }
    }

    // Callers hold _gate (or own the store exclusively, as the constructor does).
    private int AddById(Schema schema)
    {
        var id = IdOf(schema);
        if (!_byId.TryGetValue(id, out var known))
        {
            _byId[id] = schema;
            return id;
        }

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
