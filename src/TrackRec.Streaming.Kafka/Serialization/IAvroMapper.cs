using Avro;
using Avro.Generic;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// Converts one domain type to and from Avro's generic records, keeping the contract's snake_case field names
/// and enum symbols out of the domain model.
/// </summary>
public interface IAvroMapper<T>
{
    /// <summary>Builds a record of <paramref name="schema"/> (the schema it will be written with) from <paramref name="value"/>.</summary>
    GenericRecord ToRecord(T value, RecordSchema schema);

    /// <summary>Reads a value from a record already resolved to the reader schema (missing fields carry their defaults).</summary>
    T FromRecord(GenericRecord record);
}
