using Avro;
using Avro.Generic;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>Maps <see cref="Click"/> to and from schemas/click.avsc.</summary>
public sealed class ClickMapper : IAvroMapper<Click>
{
    /// <summary>The mapper is stateless; share this instance.</summary>
    public static ClickMapper Instance { get; } = new();

    /// <inheritdoc />
    public GenericRecord ToRecord(Click value, RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(schema);
        var record = new GenericRecord(schema);
        record.Add("event_id", value.EventId);
        record.Add("user_id", value.UserId);
        record.Add("item_id", value.ItemId);
        record.Add("ts", AvroFields.ToAvro(value.EventTime));
        record.Add("impression_id", value.ImpressionId);
        return record;
    }

    /// <inheritdoc />
    public Click FromRecord(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new Click(
            AvroFields.String(record, "event_id"),
            AvroFields.String(record, "user_id"),
            AvroFields.String(record, "item_id"),
            AvroFields.Timestamp(record, "ts"),
            AvroFields.OptionalString(record, "impression_id"));
    }
}
