namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// The schema id in a record's header is not known to the registry (or names a schema that is not Avro),
/// so the record cannot be read; retrying will not help.
/// </summary>
public sealed class UnknownSchemaException(int schemaId, string message, Exception? innerException = null)
    : RecordDecodeException(message, innerException)
{
    /// <summary>The <see cref="RecordDecodeException.ErrorClass"/> of every <see cref="UnknownSchemaException"/>.</summary>
    public const string Class = "unknown-schema";

    /// <summary>Creates the exception with a standard message for <paramref name="schemaId"/>.</summary>
    public UnknownSchemaException(int schemaId)
        : this(schemaId, $"schema id {schemaId} is not known to the schema registry")
    {
    }

    /// <summary>The schema id the record named.</summary>
    public int SchemaId { get; } = schemaId;

    /// <inheritdoc />
    public override string ErrorClass => Class;
}
