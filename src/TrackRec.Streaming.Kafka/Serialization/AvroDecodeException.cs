namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// The Avro body could not be decoded with its writer schema, could not be resolved to the reader schema,
/// or did not map to the domain type. Wraps the raw Avro failure so callers never see Avro's own exceptions.
/// </summary>
public sealed class AvroDecodeException(string message, Exception? innerException = null)
    : RecordDecodeException(message, innerException)
{
    /// <summary>The <see cref="RecordDecodeException.ErrorClass"/> of every <see cref="AvroDecodeException"/>.</summary>
    public const string Class = "avro-decode";

    /// <inheritdoc />
    public override string ErrorClass => Class;
}
