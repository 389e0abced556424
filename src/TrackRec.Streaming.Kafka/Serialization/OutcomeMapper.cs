using Avro;
using Avro.Generic;
using TrackRec.Streaming.Outcomes;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>Maps <see cref="Outcome"/> to and from schemas/outcome.avsc.</summary>
public sealed class OutcomeMapper : IAvroMapper<Outcome>
{
    /// <summary>The mapper is stateless; share this instance.</summary>
    public static OutcomeMapper Instance { get; } = new();

    /// <inheritdoc />
    public GenericRecord ToRecord(Outcome value, RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(schema);
        var record = new GenericRecord(schema);
        record.Add("impression_id", value.ImpressionId);
        record.Add("user_id", value.UserId);
        record.Add("item_id", value.ItemId);
        record.Add("impression_ts", AvroFields.ToAvro(value.ImpressionTime));
        record.Add("label", AvroFields.Enum(schema, "label", ToSymbol(value.Label)));
        record.Add("click_ts", AvroFields.ToAvro(value.ClickTime));
        record.Add("commented", value.Commented);
        record.Add("resolved_at", AvroFields.ToAvro(value.ResolvedAt));
        return record;
    }

    /// <inheritdoc />
    public Outcome FromRecord(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new Outcome(
            AvroFields.String(record, "impression_id"),
            AvroFields.String(record, "user_id"),
            AvroFields.String(record, "item_id"),
            AvroFields.Timestamp(record, "impression_ts"),
            FromSymbol(AvroFields.EnumSymbol(record, "label")),
            AvroFields.OptionalTimestamp(record, "click_ts"),
            AvroFields.Boolean(record, "commented"),
            AvroFields.Timestamp(record, "resolved_at"));
    }

    /// <summary>The contract's symbol for <paramref name="label"/>; spelled out so renaming the C# enum cannot change the contract.</summary>
    public static string ToSymbol(OutcomeLabel label) => label switch
    {
        OutcomeLabel.Clicked => "CLICKED",
        OutcomeLabel.NotClicked => "NOT_CLICKED",
        _ => throw new ArgumentOutOfRangeException(nameof(label), label, "no contract symbol for this outcome label"),
    };

    /// <summary>The <see cref="OutcomeLabel"/> for a contract symbol.</summary>
    public static OutcomeLabel FromSymbol(string symbol) => symbol switch
    {
        "CLICKED" => OutcomeLabel.Clicked,
        "NOT_CLICKED" => OutcomeLabel.NotClicked,
        _ => throw new InvalidDataException($"unknown OutcomeLabel symbol '{symbol}'"),
    };
}
