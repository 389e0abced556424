namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>
/// Explicit per-topic, per-partition offset ranges. Input partitions not named are not read at all, so an
/// impression range needs its clicks and comments named too for its outcomes to see them.
/// </summary>
public sealed record OffsetSelection(IReadOnlyList<OffsetRangeSpec> Ranges) : ReplaySelection;
