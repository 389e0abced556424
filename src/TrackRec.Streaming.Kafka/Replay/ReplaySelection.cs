namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>How the operator chose the input of a replay: a time range or explicit offsets.</summary>
public abstract record ReplaySelection;
