using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Processing;

namespace TrackRec.Streaming.Kafka.Partitions;

/// <summary>
/// Works one partition index of the co-partitioned inputs on its own task, so slow model work never blocks polling:
/// the consume thread only buffers records here (and pauses a partition whose buffer is full); this worker merges the
/// inputs in timestamp order and runs the domain pipeline on each record. What records cause on the Kafka side
/// (decoding, outputs, dead letters, offset holds, warm-up) is its <see cref="PartitionOutputSink"/>'s.
/// </summary>
internal sealed class PartitionGroupWorker : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly CoPartitionMerger<ConsumedRecord> _merger;
    private readonly PartitionPipeline<RecordRef> _pipeline;
    private readonly PartitionOutputSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly LoopRequest _flush = new();
    private readonly LoopRequest _settle = new();
    private bool _busy;

    public PartitionGroupWorker(int partition, PartitionPipeline<RecordRef> pipeline, PartitionOutputSink sink, TimeSpan maxIdle, TimeProvider time, ILogger logger)
    {
        Partition = partition;
        _pipeline = pipeline;
        _sink = sink;
        _time = time;
        _logger = logger;
        _merger = new CoPartitionMerger<ConsumedRecord>(StreamSerdes.BehaviourInputCount, maxIdle, time);
        // Slow-lane work finishing wakes this loop, which publishes its chains and releases what it held.
        _pipeline.Wake = () => _wake.Release();
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The partition index this worker owns on every behaviour input.</summary>
    public int Partition { get; }

    /// <summary>Completes (faulted) if processing hit an error the worker cannot recover from.</summary>
    public Task Completion => _loop;

    /// <summary>The offset to commit for an input, or -1 when none has finished.</summary>
    public long CommittableOffset(int input) => _sink.CommittableOffset(input);

    /// <summary>Input records whose work is not yet durable.</summary>
    public int InFlight => _sink.InFlight;

    /// <summary>Consume thread: buffers a record of one input.</summary>
    public void Enqueue(int input, ConsumeResult<byte[]?, byte[]?> result)
    {
        _sink.Begin(input, result.Offset.Value);
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
                return !_busy && _flush.Pending is null && _merger.IsDrainedToEnd();
        }
    }

    /// <summary>End of a bounded input: labels every open impression, after what is buffered, and writes the last batch.</summary>
    public Task FlushAsync() => Ask(_flush);

    /// <summary>
    /// Before a graceful stop or a revocation: after the record in hand, takes in the slow-lane work this partition
    /// is owed (generations it asked for, outcomes being scored) and produces it, so the final commit is not held
    /// back by work that was about to finish. Buffered records are left alone.
    /// </summary>
    public Task SettleAsync() => Ask(_settle);

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

    private Task Ask(LoopRequest request)
    {
        var asked = request.Ask();
        _wake.Release();
        return asked;
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            if (_settle.Pending is { } settle)
            {
                await EmitAsync(await _pipeline.SettleAsync(token).ConfigureAwait(false), token).ConfigureAwait(false);
                _settle.Complete(settle);
                continue;
            }

            ConsumedRecord? next;
            int input;
            TimeSpan? retryAfter;
            TaskCompletionSource? flush = null;
            lock (_gate)
            {
                var idleBefore = _merger.IdleReleases;
                _busy = _merger.TryDequeue(out next, out input, out retryAfter);
                if (_merger.IdleReleases != idleBefore)
                    _logger.LogWarning("Partition {Partition}: a co-partition with unfetched data was idle past TrackRec:Kafka:MaxIdle; released without it, so event-time order may be broken", Partition);
                // Busy while slow-lane results are published, so a bounded run does not see this partition idle.
                if (next is null && _pipeline.HasCompletions)
                    _busy = true;
                else if (!_busy && _merger.TotalBuffered == 0)
                    flush = _flush.Pending;
            }

            if (_busy)
            {
                try
                {
                    if (next is not null)
                        await ProcessAsync(input, next, token).ConfigureAwait(false);
                    else
                        await EmitAsync(_pipeline.Drain(), token).ConfigureAwait(false);
                }
                finally
                {
                    lock (_gate)
                        _busy = false;
                }
            }
            else if (flush is not null)
            {
                await EmitAsync(await _pipeline.FlushAsync(token).ConfigureAwait(false), token).ConfigureAwait(false);
                await _sink.FlushBatchesAsync(token).ConfigureAwait(false);
                _flush.Complete(flush);
            }
            else
            {
                await _wake.WaitAsync(retryAfter ?? Timeout.InfiniteTimeSpan, token).ConfigureAwait(false);
            }
        }
    }

    private async Task ProcessAsync(int input, ConsumedRecord record, CancellationToken token)
    {
        var result = record.Result;
        using var traced = TraceContextHeaders.EnterRecord(result); // spans this record causes link to its producer's context
        var source = new RecordRef(input, result.Offset.Value, record.ConsumedAt);
        if (await _sink.DecodeAsync(result, source, token).ConfigureAwait(false) is not { } behaviour)
            return;
        PipelineResult<RecordRef> outputs;
        try
        {
            outputs = await _pipeline.ProcessAsync(behaviour, source, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A record the pipeline cannot handle must not stop the partition: park it with its provenance.
            _logger.LogError(ex, "Processing failed for {Topic}/{Partition}@{Offset}", result.Topic, result.Partition.Value, result.Offset.Value);
            await _sink.RejectAsync(result, source, "processing-error", ex.Message, token).ConfigureAwait(false);
            return;
        }
        await EmitAsync(outputs, token).ConfigureAwait(false);
        _sink.Finish(source);
    }

    private Task EmitAsync(PipelineResult<RecordRef> outputs, CancellationToken token) => _sink.EmitAsync(outputs, _pipeline.Watermark, token);
}
