namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// The domain's handle of an input record: which co-partitioned input it came from, its offset, and
/// when it was consumed (for latency). Outputs carry it back so the right offset is released.
/// </summary>
public readonly record struct RecordRef(int Input, long Offset, long ConsumedAt);
