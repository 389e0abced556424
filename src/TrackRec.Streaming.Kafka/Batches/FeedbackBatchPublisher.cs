using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Kafka.Batches;

/// <summary>
/// Makes a cut batch durable and announces it: files and manifest to the batch store, then the manifest to
/// the manifest topic. Only once the broker acknowledges the manifest record are the batch's input records
/// released, so the offsets a batch covers are committed after its manifest is durable, never before.
/// Shared by every partition worker of a process.
/// </summary>
public sealed class FeedbackBatchPublisher(
    BatchFileWriter writer,
    IRecordPublisher publisher,
    StreamSerdes serdes,
    StreamCounters counters,
    BatchOptions options,
    ILogger<FeedbackBatchPublisher> logger,
    ReplayProvenance? replay = null)
{
    /// <summary>How batches are cut.</summary>
    public BatchOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>What batch ids are scoped to: the replay job's id, or null for the live worker.</summary>
    public string? Scope => replay?.JobId;

    /// <summary>Writes <paramref name="batch"/>, publishes its manifest, and calls <paramref name="release"/> for each input record once the manifest is acknowledged.</summary>
    internal async Task PublishAsync(FeedbackBatch<RecordRef> batch, Action<RecordRef> release, CancellationToken cancellationToken)
    {
        using var span = Streaming.Diagnostics.StreamActivities.StartBatchWrite(batch.BatchId, serdes.Topics.BatchManifests, batch.Count);
        var manifest = await writer.WriteAsync(batch, replay, cancellationToken).ConfigureAwait(false);
        var location = Path.Combine(writer.Store.Location, batch.BatchId);
        var bytes = await serdes.BatchManifests.SerializeAsync(new PublishedManifest(manifest, location), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Batch {BatchId} written ({Preferences} preference, {Validator} validator records)", batch.BatchId, manifest.PreferenceRecords, manifest.ValidatorRecords);
        publisher.Publish(serdes.Topics.BatchManifests, batch.BatchId, bytes, null, () => // a replay's publisher stamps its headers
        {
            counters.CountBatch(manifest.PreferenceRecords, manifest.ValidatorRecords);
            foreach (var origin in batch.Origins)
                release(origin);
        });
    }
}
