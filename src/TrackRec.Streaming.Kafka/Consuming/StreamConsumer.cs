using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Kafka.Batches;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Partitions;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Replay;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Processing;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// The consume loop of a worker, run on one dedicated thread: poll, hand records to their partition's worker, pause
/// partitions whose workers are behind, commit the offsets whose work is durable, and stop a bounded run at its end.
/// How partitions are owned is the <see cref="IPartitionAssignment"/>'s: the live group's (<see cref="LiveGroupAssignment"/>)
/// or, when a <see cref="ReplayPlan"/> is given, the plan's (<see cref="ReplayAssignment"/>).
/// <para>
/// At-least-once: an offset is committed only when every output its record caused (features, chains, outcomes, dead
/// letters, training batches) is acknowledged; impressions stay open until their outcome is, so after a crash the
/// worker re-reads from the oldest unlabelled impression and keyed outputs deduplicate.
/// </para>
/// </summary>
public sealed class StreamConsumer
{
    private readonly KafkaOptions _options;
    private readonly TopicOptions _topics;
    private readonly OutputPublisher _publisher;
    private readonly ConsumerHeartbeat? _heartbeat;
    private readonly ILogger _logger;
    private readonly PartitionWorkerSet _workers;
    private readonly PartitionPauser _pauser;
    private readonly IPartitionAssignment _assignment;
    private readonly StreamCounters _counters;
    private readonly TimeProvider _time;

    /// <summary>Creates the loop; with <paramref name="replay"/>, it reads that plan once and stops.</summary>
    public StreamConsumer(
        KafkaOptions options,
        WorkerOptions workerOptions,
        StreamSerdes serdes,
        Func<int, PartitionPipeline<RecordRef>> pipelineFactory,
        OutputPublisher publisher,
        DeadLetterPublisher deadLetters,
        StreamCounters counters,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        FeedbackBatchPublisher? batches = null,
        ReplayPlan? replay = null,
        ConsumerHeartbeat? heartbeat = null)
    {
        ArgumentNullException.ThrowIfNull(serdes);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _topics = serdes.Topics;
        _publisher = publisher;
        _counters = counters;
        _heartbeat = heartbeat;
        _logger = loggerFactory.CreateLogger<StreamConsumer>();
        var workerLogger = loggerFactory.CreateLogger<PartitionGroupWorker>();
        _workers = new PartitionWorkerSet(
            (partition, emitFrom, liveWarmup) => new PartitionGroupWorker(
                partition,
                pipelineFactory(partition),
                new PartitionOutputSink(partition, serdes, publisher, deadLetters, counters, time, batches, emitFrom, liveWarmup),
                options.MaxIdle,
                time,
                workerLogger),
            publisher, options, time, _logger);
        _pauser = new PartitionPauser(_topics.BehaviourInputs, options.MaxBufferedPerPartition);
        _assignment = replay is null
            ? new LiveGroupAssignment(options, workerOptions, _topics, _workers, _pauser, publisher, time, _logger)
            : new ReplayAssignment(replay, _topics.BehaviourInputs, _workers, _logger);
        _time = time;
    }

    /// <summary>Partition indexes this worker currently owns (a snapshot, safe from any thread).</summary>
    public IReadOnlyCollection<int> OwnedPartitions => _workers.Owned;

    /// <summary>
    /// Runs until cancelled or, for a bounded run, until every owned input is processed to its end.
    /// Throws on fatal Kafka errors so the host stops and a supervisor restarts the process.
    /// </summary>
    public void Run(CancellationToken cancellationToken)
    {
        TopicMetadata.RequireCoPartitioned(_options, _topics);
        using var consumers = new ConsumerPair(_options, _counters, _assignment, _logger);
        _assignment.Start(consumers);
        var nextCommit = _time.GetTimestamp();
        var completed = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                _heartbeat?.Beat();
                if (_publisher.Fatal.IsCompleted)
                    throw new KafkaOutputException("output can no longer be made durable", _publisher.Fatal.Result);
                _workers.ThrowIfFailed();

                // What the clients have fetched first, a bounded batch at a time, so neither consumer starves the other
                // and pauses are re-evaluated often; a short wait for more only when both are empty.
                var handled = Drain(consumers.Lead) | Drain(consumers.Companion);
                if (!handled)
                    Dispatch(consumers.Lead.Consume(TimeSpan.FromMilliseconds(10)));
                _pauser.Update(_workers, consumers, _assignment);

                if (_time.GetElapsedTime(nextCommit) >= TimeSpan.Zero)
                {
                    _assignment.CommitOwned();
                    consumers.ReportCommittedLag();
                    nextCommit = _time.GetTimestamp() + (long)(_options.CommitInterval.TotalSeconds * _time.TimestampFrequency);
                }

                if (_assignment.IsFinished)
                {
                    _workers.Finish(cancellationToken);
                    completed = true;
                    break;
                }
            }
        }
        finally
        {
            Shutdown(consumers, graceful: completed || cancellationToken.IsCancellationRequested);
        }
    }

    private bool Drain(IConsumer<byte[]?, byte[]?> consumer)
    {
        var any = false;
        for (var i = 0; i < 500 && Dispatch(consumer.Consume(0)); i++)
            any = true;
        return any;
    }

    private bool Dispatch(ConsumeResult<byte[]?, byte[]?>? result)
    {
        if (result is null)
            return false;
        var input = InputOf(result.Topic);
        // No worker: a record fetched just before its partition was revoked; the next owner reads it.
        if (_workers.TryGet(result.Partition.Value, out var worker))
            _assignment.Dispatch(result, input, worker);
        return true;
    }

    private int InputOf(string topic)
    {
        var inputs = _topics.BehaviourInputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] == topic)
                return i;
        }
        throw new InvalidOperationException($"record from unexpected topic '{topic}'");
    }

    // Graceful (cancelled, or a bounded run done): slow-lane work is settled, outputs flushed and offsets committed.
    private void Shutdown(ConsumerPair consumers, bool graceful)
    {
        try
        {
            if (graceful)
            {
                _workers.Settle(_workers.Partitions.ToList());
                _publisher.Flush(_options.DrainTimeout);
                _assignment.CommitOwned();
                consumers.ReportCommittedLag(); // the lag the worker leaves behind
            }
            consumers.Closing();
            _workers.Remove(_workers.Partitions.ToList());
            consumers.Lead.Close(); // leaves the group now instead of after a session timeout
        }
        catch (KafkaException ex)
        {
            _logger.LogWarning("Error while closing the consumer: {Reason}", ex.Error.Reason);
        }
    }
}
