namespace TrackRec.Streaming.Diagnostics;

/// <summary>How many records a consumer is behind the end of one topic partition.</summary>
public readonly record struct PartitionLag(string Topic, int Partition, long Lag);
