using TrackRec.Streaming.Feedback;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>A durable batch's manifest as announced on the manifest topic, with where its files are.</summary>
public sealed record PublishedManifest(BatchManifest Manifest, string Location);
