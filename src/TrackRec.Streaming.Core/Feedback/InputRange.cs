namespace TrackRec.Streaming.Feedback;

/// <summary>The input offsets a batch's records came from on one topic partition (both ends included).</summary>
public sealed record InputRange(string Topic, int Partition, long FirstOffset, long LastOffset);
