using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Kafka.Batches;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Processing;

namespace TrackRec.Streaming.Kafka.Partitions;

/// <summary>
/// The training-batch leg of one partition, its one port: training records wait in the partition's open batch
/// (<see cref="FeedbackBatcher{TOrigin}"/>); a cut batch is made durable and announced by the worker's
/// <see cref="FeedbackBatchPublisher"/>, one batch after another off the partition's task, and its input records are
/// released once its manifest is acknowledged. A batch that cannot be made durable stops the partition.
/// </summary>
internal sealed class PartitionBatchLeg(int partition, IReadOnlyList<string> inputs, FeedbackBatchPublisher publisher, Action<RecordRef> release)
{
    private readonly FeedbackBatcher<RecordRef> _batcher = new(partition, publisher.Options, publisher.Scope);
    private Task _writes = Task.CompletedTask;

    /// <summary>Adds the result's training records that <paramref name="include"/> keeps, cutting (and writing) the batches they fill.</summary>
    public void Add(PipelineResult<RecordRef> outputs, DateTimeOffset at, Func<RecordRef, bool> include, CancellationToken cancellationToken)
    {
        foreach (var (record, origin) in outputs.Preferences.Where(p => include(p.Origin)))
            Write(_batcher.Add(record, origin, PositionOf(origin), at), cancellationToken);
        foreach (var (record, origin) in outputs.ValidatorRecords.Where(v => include(v.Origin)))
            Write(_batcher.Add(record, origin, PositionOf(origin), at), cancellationToken);
    }

    /// <summary>End of a bounded input: cuts the open batch and waits until every batch is written.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_batcher.Cut() is { } last)
            Write([last], cancellationToken);
        await _writes.ConfigureAwait(false);
    }

    /// <summary>Rethrows the failure of a batch that could not be made durable: the partition stops rather than lose training data.</summary>
    public void ThrowIfFailed()
    {
        if (_writes.IsFaulted)
            _writes.GetAwaiter().GetResult();
    }

    private void Write(IReadOnlyList<FeedbackBatch<RecordRef>> cut, CancellationToken cancellationToken)
    {
        foreach (var batch in cut)
        {
            ThrowIfFailed();
            var previous = _writes;
            _writes = Task.Run(async () =>
            {
                await previous.ConfigureAwait(false);
                await publisher.PublishAsync(batch, release, cancellationToken).ConfigureAwait(false);
            }, cancellationToken);
        }
    }

    private InputPosition PositionOf(RecordRef origin) => new(inputs[origin.Input], partition, origin.Offset);
}
