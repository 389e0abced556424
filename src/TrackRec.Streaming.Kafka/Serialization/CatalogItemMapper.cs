using Avro;
using Avro.Generic;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>Maps <see cref="CatalogItem"/> to and from schemas/item.avsc.</summary>
public sealed class CatalogItemMapper : IAvroMapper<CatalogItem>
{
    /// <summary>The mapper is stateless; share this instance.</summary>
    public static CatalogItemMapper Instance { get; } = new();

    /// <inheritdoc />
    public GenericRecord ToRecord(CatalogItem value, RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(schema);
        var record = new GenericRecord(schema);
        record.Add("item_id", value.ItemId);
        record.Add("title", value.Title);
        record.Add("categories", AvroFields.ToAvro(value.Categories));
        record.Add("text", value.Text);
        record.Add("updated_at", AvroFields.ToAvro(value.UpdatedAt));
        return record;
    }

    /// <inheritdoc />
    public CatalogItem FromRecord(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new CatalogItem(
            AvroFields.String(record, "item_id"),
            AvroFields.String(record, "title"),
            AvroFields.StringList(record, "categories"),
            AvroFields.OptionalString(record, "text"),
            AvroFields.OptionalTimestamp(record, "updated_at"));
    }
}
