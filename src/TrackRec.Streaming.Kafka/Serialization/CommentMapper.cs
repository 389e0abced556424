using Avro;
using Avro.Generic;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>Maps <see cref="Comment"/> to and from schemas/comment.avsc.</summary>
public sealed class CommentMapper : IAvroMapper<Comment>
{
    /// <summary>The mapper is stateless; share this instance.</summary>
    public static CommentMapper Instance { get; } = new();

    /// <inheritdoc />
    public GenericRecord ToRecord(Comment value, RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(schema);
        var record = new GenericRecord(schema);
        record.Add("event_id", value.EventId);
        record.Add("user_id", value.UserId);
        record.Add("item_id", value.ItemId);
        record.Add("ts", AvroFields.ToAvro(value.EventTime));
        record.Add("text", value.Text);
        return record;
    }

    /// <inheritdoc />
    public Comment FromRecord(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new Comment(
            AvroFields.String(record, "event_id"),
            AvroFields.String(record, "user_id"),
            AvroFields.String(record, "item_id"),
            AvroFields.Timestamp(record, "ts"),
            AvroFields.String(record, "text"));
    }
}
