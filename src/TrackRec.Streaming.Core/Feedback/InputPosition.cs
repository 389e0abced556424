namespace TrackRec.Streaming.Feedback;

/// <summary>Where an input record sits in the log (a Kafka topic partition and offset; any ordered source).</summary>
public readonly record struct InputPosition(string Topic, int Partition, long Offset);
