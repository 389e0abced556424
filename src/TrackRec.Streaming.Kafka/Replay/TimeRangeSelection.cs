namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>
/// Every behaviour input, all partitions, from <see cref="From"/> (inclusive) to <see cref="To"/>
/// (exclusive) by record timestamp, resolved per partition with the broker's offsets-for-times.
/// </summary>
public sealed record TimeRangeSelection(DateTimeOffset From, DateTimeOffset To) : ReplaySelection;
