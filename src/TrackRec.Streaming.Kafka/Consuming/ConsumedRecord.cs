using Confluent.Kafka;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>A raw input record as handed from the consume thread to its partition's worker.</summary>
internal sealed record ConsumedRecord(ConsumeResult<byte[]?, byte[]?> Result, long ConsumedAt);
