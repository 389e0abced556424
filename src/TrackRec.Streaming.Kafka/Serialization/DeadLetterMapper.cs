using Avro;
using Avro.Generic;
using TrackRec.Streaming.Kafka.DeadLetters;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>Maps <see cref="DeadLetter"/> to and from schemas/dead_letter.avsc.</summary>
public sealed class DeadLetterMapper : IAvroMapper<DeadLetter>
{
    /// <summary>The mapper is stateless; share this instance.</summary>
    public static DeadLetterMapper Instance { get; } = new();

    /// <inheritdoc />
    public GenericRecord ToRecord(DeadLetter value, RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(schema);
        var record = new GenericRecord(schema);
        record.Add("source_topic", value.SourceTopic);
        record.Add("source_partition", value.SourcePartition);
        record.Add("source_offset", value.SourceOffset);
        record.Add("source_timestamp", AvroFields.ToAvro(value.SourceTimestamp));
        record.Add("key", value.Key);
        record.Add("value", value.Value);
        record.Add("error_class", value.ErrorClass);
        record.Add("error_message", value.ErrorMessage ?? string.Empty);
        record.Add("failed_at", AvroFields.ToAvro(value.FailedAt));
        record.Add("worker", value.Worker);
        return record;
    }

    /// <inheritdoc />
    public DeadLetter FromRecord(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new DeadLetter(
            AvroFields.String(record, "source_topic"),
            AvroFields.Int(record, "source_partition"),
            AvroFields.Long(record, "source_offset"),
            AvroFields.OptionalTimestamp(record, "source_timestamp"),
            AvroFields.OptionalBytes(record, "key"),
            AvroFields.OptionalBytes(record, "value"),
            AvroFields.String(record, "error_class"),
            AvroFields.String(record, "error_message"),
            AvroFields.Timestamp(record, "failed_at"),
            AvroFields.OptionalString(record, "worker"));
    }
}
