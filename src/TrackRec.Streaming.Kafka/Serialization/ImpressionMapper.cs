using Avro;
using Avro.Generic;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>Maps <see cref="Impression"/> to and from schemas/impression.avsc.</summary>
public sealed class ImpressionMapper : IAvroMapper<Impression>
{
    /// <summary>The mapper is stateless; share this instance.</summary>
    public static ImpressionMapper Instance { get; } = new();

    /// <inheritdoc />
    public GenericRecord ToRecord(Impression value, RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(schema);
        var record = new GenericRecord(schema);
        record.Add("event_id", value.EventId);
        record.Add("user_id", value.UserId);
        record.Add("item_id", value.ItemId);
        record.Add("ts", AvroFields.ToAvro(value.EventTime));
        record.Add("impression_id", value.ImpressionId);
        record.Add("position", value.Position);
        record.Add("surface", value.Surface);
        return record;
    }

    /// <inheritdoc />
    public Impression FromRecord(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new Impression(
            AvroFields.String(record, "event_id"),
            AvroFields.String(record, "user_id"),
            AvroFields.String(record, "item_id"),
            AvroFields.Timestamp(record, "ts"),
            AvroFields.String(record, "impression_id"),
            AvroFields.OptionalInt(record, "position"),
            AvroFields.OptionalString(record, "surface"));
    }
}
