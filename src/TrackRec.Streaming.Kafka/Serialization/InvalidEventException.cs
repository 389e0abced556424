using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// The record decoded but breaks a contract rule the schema cannot express (see <see cref="EventValidator"/>),
/// so Avro topics reject the same records as every other source.
/// </summary>
public sealed class InvalidEventException(EventValidationException innerException)
    : RecordDecodeException(innerException.Message, innerException)
{
    /// <summary>The <see cref="RecordDecodeException.ErrorClass"/> of every <see cref="InvalidEventException"/>.</summary>
    public const string Class = "invalid-event";

    /// <inheritdoc />
    public override string ErrorClass => Class;
}
