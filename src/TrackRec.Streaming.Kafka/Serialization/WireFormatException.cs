namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>The bytes are not in the Confluent wire format (wrong magic byte, too short to hold the header).</summary>
public sealed class WireFormatException(string message) : RecordDecodeException(message)
{
    /// <summary>The <see cref="RecordDecodeException.ErrorClass"/> of every <see cref="WireFormatException"/>.</summary>
    public const string Class = "wire-format";

    /// <inheritdoc />
    public override string ErrorClass => Class;
}
