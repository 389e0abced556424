using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Kafka.Batches;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Offsets;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Processing;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// Works one partition index of the co-partitioned inputs on its own task, so slow model work never
/// blocks polling: the consume thread only buffers records here (and pauses a partition whose buffer
/// is full), this worker merges the inputs in timestamp order, runs the domain pipeline, produces the
/// outputs and releases each input offset once everything it caused is acknowledged.
/// </summary>
internal sealed class PartitionGroupWorker : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CoPartitionMerger<ConsumedRecord> _merger;
    private readonly PartitionOffsetTracker[] _trackers;
    private readonly PartitionPipeline<RecordRef> _pipeline;
    private readonly StreamSerdes _serdes;
    private readonly OutputPublisher _publisher;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly StreamCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly FeedbackBatchPublisher? _batches;
    private readonly FeedbackBatcher<RecordRef>? _batcher;
    // Batch files are written off the partition's task, one batch after another; a failure stops the partition.
    private Task _batchWrites = Task.CompletedTask;
    private readonly long[]? _emitFrom;
    // A live worker's warm-up (not a replay's) batches the training records it re-derives, so its batches are
    // cut where an uninterrupted run cut them; those batches are rewritten identically, their sources not held.
    private readonly bool _liveWarmup;
    private TaskCompletionSource? _flushRequest;
    private TaskCompletionSource? _settleRequest;
    private bool _busy;

    public PartitionGroupWorker(
        int partition,
        PartitionPipeline<RecordRef> pipeline,
        StreamSerdes serdes,
        OutputPublisher publisher,
        DeadLetterPublisher deadLetters,
        StreamCounters counters,
        TimeSpan maxIdle,
        TimeProvider time,
        ILogger logger,
        FeedbackBatchPublisher? batches = null,
        long[]? emitFrom = null,
        bool liveWarmup = false)
    {
        Partition = partition;
        _pipeline = pipeline;
        _serdes = serdes;
        _publisher = publisher;
        _deadLetters = deadLetters;
        _counters = counters;
        _time = time;
        _logger = logger;
        _batches = batches;
        _batcher = batches is null ? null : new FeedbackBatcher<RecordRef>(partition, batches.Options);
        _emitFrom = emitFrom;
        _liveWarmup = liveWarmup;
        _merger = new CoPartitionMerger<ConsumedRecord>(StreamSerdes.BehaviourInputCount, maxIdle, time);
        _trackers = new PartitionOffsetTracker[StreamSerdes.BehaviourInputCount];
        for (var i = 0; i < _trackers.Length; i++)
            _trackers[i] = new PartitionOffsetTracker();
        // Slow-lane work finishing wakes this loop, which publishes its chains and releases what it held.
        _pipeline.Wake = () => _wake.Release();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The partition index this worker owns on every behaviour input.</summary>
    public int Partition { get; }

    /// <summary>Completes (faulted) if processing hit an error the worker cannot recover from.</summary>
    public Task Completion => _loop;

    /// <summary>Consume thread: buffers a record of one input.</summary>
    public void Enqueue(int input, ConsumeResult<byte[]?, byte[]?> result)
    {
        _trackers[input].Begin(result.Offset.Value);
        // A record without a timestamp sorts first rather than holding its co-partitions back.
        var timestamp = KafkaTimestamps.ToDateTimeOffset(result.Message.Timestamp) ?? DateTimeOffset.MinValue;
        lock (_gate)
            _merger.Enqueue(input, new ConsumedRecord(result, _time.GetTimestamp()), timestamp);
        _wake.Release();
    }

    /// <summary>Consume thread: the input's partition has been read to its current end.</summary>
    public void MarkAtEnd(int input)
    {
        lock (_gate)
            _merger.MarkAtEnd(input);
        _wake.Release();
    }

    /// <summary>
    /// Whether what a record causes is produced. A replay's warm-up records (before its range starts, per
    /// input) run through the same pipeline to rebuild user state, chains and pending impressions, but
    /// nothing they cause is written: their features, chains, outcomes and dead letters are dropped here.
    /// The domain stays unaware; the offset rule is Kafka's business.
    /// </summary>
    private bool Emits(RecordRef source) => _emitFrom is null || source.Offset >= _emitFrom[source.Input];

    /// <summary>Records buffered for an input (drives pause and resume).</summary>
    public int Buffered(int input)
    {
        lock (_gate)
            return _merger.Buffered(input);
    }

    /// <summary>True when every input is read to its end and nothing is buffered or being processed.</summary>
    public bool IsIdleAtEnd
    {
        get
        {
            lock (_gate)
                return !_busy && _flushRequest is null && _merger.IsDrainedToEnd();
        }
    }

    /// <summary>The offset to commit for an input, or -1 when none has finished.</summary>
    public long CommittableOffset(int input) => _trackers[input].CommittableOffset;

    /// <summary>Input records whose work is not yet durable.</summary>
    public int InFlight => _trackers.Sum(t => t.InFlight);

    /// <summary>End of a bounded input: labels every open impression, after what is buffered.</summary>
    public Task FlushAsync() => Request(ref _flushRequest);

    /// <summary>
    /// Before a graceful stop or a revocation: after the record in hand, takes in the slow-lane work this partition
    /// is owed (generations it asked for, outcomes being scored) and produces it, so the final commit is not held
    /// back by work that was about to finish. Buffered records are left alone.
    /// </summary>
    public Task SettleAsync() => Request(ref _settleRequest);

    // A request to the partition's loop (flush, settle): one pending at a time, completed by the loop.
    private Task Request(ref TaskCompletionSource? slot)
    {
        TaskCompletionSource request;
        lock (_gate)
            request = slot ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _wake.Release();
        return request.Task;
    }

    /// <summary>Stops after the record in hand; buffered records are dropped (their offsets are not committed).</summary>
    public async ValueTask DisposeAsync()
    {
        _pipeline.Wake = null;
        _pipeline.Abandon();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Partition {Partition} worker had failed before it was stopped", Partition);
        }
        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            ConsumedRecord? next;
            int input;
            TimeSpan? retryAfter;
            TaskCompletionSource? flush = null;
            TaskCompletionSource? settle;
            lock (_gate)
                settle = _settleRequest;
            if (settle is not null)
            {
                await EmitAsync(await _pipeline.SettleAsync(token).ConfigureAwait(false), token).ConfigureAwait(false);
                lock (_gate)
                    _settleRequest = null;
                settle.TrySetResult();
                continue;
            }
            lock (_gate)
            {
                var idleBefore = _merger.IdleReleases;
                _busy = _merger.TryDequeue(out next, out input, out retryAfter);
                if (_merger.IdleReleases != idleBefore)
                    _logger.LogWarning("Partition {Partition}: a co-partition with unfetched data was idle past TrackRec:Kafka:MaxIdle; released without it, so event-time order may be broken", Partition);
                if (!_busy && _flushRequest is not null && _merger.TotalBuffered == 0)
                    flush = _flushRequest;
            }

            if (next is null && _pipeline.HasCompletions)
            {
                // Busy while slow-lane results are published, so a bounded run does not see this partition idle.
                lock (_gate)
                    _busy = true;
                try
                {
                    await EmitAsync(_pipeline.Drain(), token).ConfigureAwait(false);
                }
                finally
                {
                    lock (_gate)
                        _busy = false;
                }
                continue;
            }

            if (next is not null)
            {
                try
                {
                    await ProcessAsync(input, next, token).ConfigureAwait(false);
                }
                finally
                {
                    lock (_gate)
                        _busy = false;
                }
                continue;
            }

            if (flush is not null)
            {
                await EmitAsync(await _pipeline.FlushAsync(token).ConfigureAwait(false), token).ConfigureAwait(false);
                if (_batcher?.Cut() is { } last)
                    ScheduleWrite(last, token);
                await _batchWrites.ConfigureAwait(false);
                lock (_gate)
                    _flushRequest = null;
                flush.TrySetResult();
                continue;
            }

            await _wake.WaitAsync(retryAfter ?? Timeout.InfiniteTimeSpan, token).ConfigureAwait(false);
        }
    }

    private async Task ProcessAsync(int input, ConsumedRecord record, CancellationToken token)
    {
        if (_batchWrites.IsFaulted)
            await _batchWrites.ConfigureAwait(false); // a batch could not be made durable: stop, do not stall silently
        var result = record.Result;
        using var traced = TraceContextHeaders.EnterRecord(result); // spans this record causes link to its producer's context
        var source = new RecordRef(input, result.Offset.Value, record.ConsumedAt);
        var tracker = _trackers[input];
        _counters.CountConsumed(result.Topic);

        Events.BehaviourEvent behaviour;
        try
        {
            behaviour = await _serdes.DecodeBehaviourAsync(input, result.Message.Value, token).ConfigureAwait(false);
        }
        catch (RecordDecodeException ex)
        {
            if (!Emits(source))
            {
                tracker.Release(source.Offset);
                return;
            }
            tracker.Hold(source.Offset);
            await _deadLetters.PublishAsync(result, ex.ErrorClass, ex.Message, () => { _counters.CountDeadLetter(ex.ErrorClass); tracker.Release(source.Offset); }, token).ConfigureAwait(false);
            tracker.Release(source.Offset);
            return;
        }

        PipelineResult<RecordRef> outputs;
        try
        {
            outputs = await _pipeline.ProcessAsync(behaviour, source, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A record the pipeline cannot handle must not stop the partition: park it with its provenance.
            _logger.LogError(ex, "Processing failed for {Topic}/{Partition}@{Offset}", result.Topic, result.Partition.Value, result.Offset.Value);
            if (!Emits(source))
            {
                tracker.Release(source.Offset);
                return;
            }
            tracker.Hold(source.Offset);
            await _deadLetters.PublishAsync(result, "processing-error", ex.Message, () => { _counters.CountDeadLetter("processing-error"); tracker.Release(source.Offset); }, token).ConfigureAwait(false);
            tracker.Release(source.Offset);
            return;
        }

        await EmitAsync(outputs, token).ConfigureAwait(false);
        tracker.Release(source.Offset);
    }

    private async Task EmitAsync(PipelineResult<RecordRef> outputs, CancellationToken token)
    {
        // Records whose work went on in the slow lane are held first, and released only after this result's
        // outputs (which hold them in turn until acknowledged) are handed over.
        foreach (var source in outputs.Holds.Where(Emits))
            _trackers[source.Input].Hold(source.Offset);
        if (outputs.AwaitsOutcome && outputs.Features.Count > 0 && Emits(outputs.Features[0].Source))
        {
            var impression = outputs.Features[0].Source;
            _trackers[impression.Input].Hold(impression.Offset); // released when the impression's outcome is acknowledged
        }
        // Training records hold their impression before its outcome is produced: the outcome's
        // acknowledgement may otherwise finish the impression while its records wait in a batch.
        if (_batcher is not null)
        {
            foreach (var (_, source) in outputs.Preferences.Where(p => Emits(p.Source)))
                _trackers[source.Input].Hold(source.Offset);
            foreach (var (_, source) in outputs.ValidatorRecords.Where(v => Emits(v.Source)))
                _trackers[source.Input].Hold(source.Offset);
        }

        foreach (var (feature, source) in outputs.Features)
        {
            if (!Emits(source))
                continue;
            var bytes = await _serdes.Features.SerializeAsync(feature, token).ConfigureAwait(false);
            var tracker = _trackers[source.Input];
            tracker.Hold(source.Offset);
            _publisher.Publish(_serdes.Topics.Features, feature.ImpressionId, bytes, null, () =>
            {
                _counters.CountFeature(feature.Source, _time.GetElapsedTime(source.ConsumedAt).TotalMilliseconds, feature.GenerationLatencyMs);
                tracker.Release(source.Offset);
            });
        }

        foreach (var (chain, source) in outputs.Chains)
        {
            if (!Emits(source))
                continue;
            var bytes = await _serdes.UserChains.SerializeAsync(chain, token).ConfigureAwait(false);
            var tracker = _trackers[source.Input];
            tracker.Hold(source.Offset);
            _publisher.Publish(_serdes.Topics.UserChains, chain.UserId, bytes, null, () =>
            {
                _counters.CountChain();
                tracker.Release(source.Offset);
            });
        }

        foreach (var resolved in outputs.Outcomes)
        {
            var source = resolved.ImpressionSource;
            if (!Emits(source))
                continue; // a warm-up impression's label: it updated the user's history, nothing is written
            var bytes = await _serdes.Outcomes.SerializeAsync(resolved.Outcome, token).ConfigureAwait(false);
            var tracker = _trackers[source.Input];
            tracker.Hold(source.Offset);
            _publisher.Publish(_serdes.Topics.Outcomes, resolved.Outcome.ImpressionId, bytes, null, () =>
            {
                _counters.CountOutcome();
                tracker.Release(source.Offset); // the output
                tracker.Release(source.Offset); // the outcome the impression owed
            });
        }

        Batch(outputs, token);
        foreach (var source in outputs.Releases.Where(Emits))
            _trackers[source.Input].Release(source.Offset);
    }

    // Training records wait in the partition's open batch; each holds its input record (taken in EmitAsync)
    // until the batch's manifest is acknowledged, so no offset is committed past a record whose training
    // data is not durable.
    private void Batch(PipelineResult<RecordRef> outputs, CancellationToken token)
    {
        if (_batcher is null || (outputs.Preferences.Count == 0 && outputs.ValidatorRecords.Count == 0))
            return;
        var at = _pipeline.Watermark;
        var cut = new List<FeedbackBatch<RecordRef>>();
        // A replay's warm-up rebuilds state only: its training records were the live worker's to write.
        foreach (var (record, source) in outputs.Preferences.Where(p => _liveWarmup || Emits(p.Source)))
            cut.AddRange(_batcher.Add(record, source, PositionOf(source), at));
        foreach (var (record, source) in outputs.ValidatorRecords.Where(v => _liveWarmup || Emits(v.Source)))
            cut.AddRange(_batcher.Add(record, source, PositionOf(source), at));
        foreach (var batch in cut)
            ScheduleWrite(batch, token);
    }

    private void ScheduleWrite(FeedbackBatch<RecordRef> batch, CancellationToken token)
    {
        if (_batchWrites.IsFaulted)
            _batchWrites.GetAwaiter().GetResult(); // rethrows: the partition stops rather than lose training data
        var previous = _batchWrites;
        _batchWrites = Task.Run(async () =>
        {
            await previous.ConfigureAwait(false);
            await _batches!.PublishAsync(batch, Release, token).ConfigureAwait(false);
        }, token);
    }

    private InputPosition PositionOf(RecordRef source) => new(_serdes.Topics.BehaviourInputs[source.Input], Partition, source.Offset);

    // Only what was held is released: a warm-up record's training data was durable before it was committed.
    private void Release(RecordRef source)
    {
        if (Emits(source))
            _trackers[source.Input].Release(source.Offset);
    }
}
