using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Kafka.Batches;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Replay;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Processing;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// The consume loop of a worker, run on one dedicated thread: poll, hand records to their partition's
/// worker, pause partitions whose workers are behind, commit the offsets whose work is durable.
/// <para>
/// Co-partitioning with an incremental (cooperative-sticky) assignor: librdkafka's assignors cannot
/// promise that impressions-p, clicks-p and comments-p go to the same member, and the join needs them
/// together. So only the impressions topic is subscribed in the group; the group's assignment of
/// impressions-p drives a companion consumer that is manually assigned clicks-p and comments-p from the
/// offsets committed for them in the same group. All commits go through the group member, in one call.
/// </para>
/// <para>
/// At-least-once: an offset is committed only when every output its record caused (features, chains,
/// outcomes, dead letters) is acknowledged; impressions stay open until their outcome is, so after a
/// crash the worker re-reads from the oldest unlabelled impression and keyed outputs deduplicate.
/// </para>
/// <para>
/// Replay (a <see cref="ReplayPlan"/> is given): the same loop, workers and pipeline, but the partitions
/// are assigned by the plan instead of a group, each input stops at the end offset resolved when the job
/// started, records before the range's start only warm up state, and nothing is ever committed.
/// </para>
/// </summary>
public sealed class StreamConsumer(
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
    private readonly ILogger _logger = loggerFactory.CreateLogger<StreamConsumer>();
    private readonly Dictionary<int, PartitionGroupWorker> _workers = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];
    // Replay: input partitions read to their planned end; paused for good, never resumed.
    private readonly HashSet<TopicPartition> _ended = [];
    private IConsumer<byte[]?, byte[]?>? _lead;
    private IConsumer<byte[]?, byte[]?>? _companion;

    // Replaced (never mutated) by the consume thread, so other threads can read it safely.
    private volatile int[] _owned = [];

    /// <summary>Partition indexes this worker currently owns (a snapshot, safe from any thread).</summary>
    public IReadOnlyCollection<int> OwnedPartitions => _owned;

    /// <summary>
    /// Runs until cancelled or, for a bounded run, until every owned input is processed to its end.
    /// Throws on fatal Kafka errors so the host stops and a supervisor restarts the process.
    /// </summary>
    public void Run(CancellationToken cancellationToken)
    {
        var topics = serdes.Topics;
        TopicMetadata.RequireCoPartitioned(options, topics);
        using var lead = BuildLead();
        using var companion = BuildCompanion();
        _lead = lead;
        _companion = companion;
        if (replay is null)
            lead.Subscribe(topics.Impressions);
        else
            AssignReplay(replay);
        var nextCommit = time.GetTimestamp();
        var completed = false;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                heartbeat?.Beat();
                if (publisher.Fatal.IsCompleted)
                    throw new KafkaOutputException("output can no longer be made durable", publisher.Fatal.Result);
                foreach (var worker in _workers.Values)
                {
                    if (worker.Completion.IsFaulted)
                        throw new KafkaOutputException($"partition {worker.Partition} failed", worker.Completion.Exception!.GetBaseException());
                }

                var handled = Drain(lead) | Drain(companion);
                if (!handled)
                    Dispatch(lead.Consume(TimeSpan.FromMilliseconds(10)));
                UpdatePauses();

                if (time.GetElapsedTime(nextCommit) >= TimeSpan.Zero)
                {
                    Commit(_workers.Keys);
                    nextCommit = TimestampAfter(options.CommitInterval);
                }

                // A replay is always bounded (and done at once when its plan reads nothing).
                if ((replay is not null || (workerOptions.StopAtEnd && _workers.Count > 0)) && _workers.Values.All(w => w.IsIdleAtEnd))
                {
                    FinishBoundedRun(cancellationToken);
                    completed = true;
                    break;
                }
            }
        }
        finally
        {
            Shutdown(lead, graceful: completed || cancellationToken.IsCancellationRequested);
        }
    }

    private IConsumer<byte[]?, byte[]?> BuildLead()
    {
        var config = ConsumerSettings.Create(options, "trackrec-worker", options.GroupId);
        config.PartitionAssignmentStrategy = PartitionAssignmentStrategy.CooperativeSticky;
        return new ConsumerBuilder<byte[]?, byte[]?>(WithStatistics(config))
            .SetStatisticsHandler((_, json) => OnStatistics("lead", json))
            .SetPartitionsAssignedHandler((_, assigned) => OnAssigned(assigned))
            .SetPartitionsRevokedHandler((_, revoked) => OnRevoked(revoked.Select(p => p.TopicPartition), commit: true))
            .SetPartitionsLostHandler((_, lost) => OnRevoked(lost.Select(p => p.TopicPartition), commit: false))
            .SetErrorHandler((_, error) =>
            {
                if (!error.IsFatal)
                    _logger.LogWarning("Consumer error {Code}: {Reason}", error.Code, error.Reason);
            })
            .Build();
    }

    private IConsumer<byte[]?, byte[]?> BuildCompanion()
    {
        // Never subscribes and never commits: its partitions follow the group member's, and their
        // offsets are committed by the member. The group id is only what the client requires.
        var config = ConsumerSettings.Create(options, "trackrec-worker-copartitions", options.GroupId + ".copartitions");
        return new ConsumerBuilder<byte[]?, byte[]?>(WithStatistics(config))
            .SetStatisticsHandler((_, json) => OnStatistics("companion", json))
            .Build();
    }

    // Statistics feed the consumer-lag gauge; an interval the operator set in TrackRec:Kafka:Consumer wins.
    private ConsumerConfig WithStatistics(ConsumerConfig config)
    {
        config.StatisticsIntervalMs ??= (int)options.StatisticsInterval.TotalMilliseconds;
        return config;
    }

    // Served by Consume on the consume thread (so _committed is safe to read here); never throw from it.
    private void OnStatistics(string consumer, string json)
    {
        try
        {
            counters.ReportLag(consumer, ConsumerLagStatistics.Parse(json, (topic, partition) =>
                _committed.TryGetValue(new TopicPartition(topic, partition), out var offset) ? offset : null));
        }
        catch (System.Text.Json.JsonException ex)
        {
            _logger.LogDebug(ex, "Unreadable librdkafka statistics from the {Consumer} consumer", consumer);
        }
    }

    // Returns where the lead (impressions) partitions start: their committed offsets, or, with a state
    // warm-up, earlier, so that what the worker does not keep on disk is rebuilt before it emits again.
    private IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> assigned)
    {
        var topics = serdes.Topics;
        var inputs = topics.BehaviourInputs;
        var companions = new List<TopicPartitionOffset>();
        var leads = new List<TopicPartitionOffset>();
        foreach (var tp in assigned)
        {
            var partition = tp.Partition.Value;
            var all = inputs.Select(topic => new TopicPartition(topic, partition)).ToList();
            var committed = _lead!.Committed(all, TimeSpan.FromSeconds(30));
            // What the group has committed counts as already committed: no redundant commit, and a lag from the start.
            foreach (var c in committed.Where(c => !c.Offset.IsSpecial))
                _committed[c.TopicPartition] = c.Offset.Value;
            var starts = WarmupStarts(all, committed);
            long[]? emitFrom = starts is null ? null : [.. committed.Select(c => c.Offset.IsSpecial ? 0 : c.Offset.Value)];
            leads.Add(starts?[0] ?? new TopicPartitionOffset(tp, Offset.Unset));
            companions.AddRange(starts?.Skip(1) ?? committed.Skip(1).Select(c => new TopicPartitionOffset(c.TopicPartition, c.Offset.IsSpecial ? Offset.Unset : c.Offset)));
            _workers[partition] = CreateWorker(partition, emitFrom, liveWarmup: starts is not null);
        }
        if (companions.Count > 0)
            _companion!.IncrementalAssign(companions);
        _owned = [.. _workers.Keys.Order()];
        _logger.LogInformation("Assigned partitions [{Partitions}]", string.Join(",", assigned.Select(p => p.Partition.Value)));
        return leads;
    }

    // Where each input of a partition starts re-reading for the state warm-up; null when there is none.
    private List<TopicPartitionOffset>? WarmupStarts(List<TopicPartition> inputs, List<TopicPartitionOffset> committed)
    {
        var warmup = workerOptions.StateWarmup;
        if (warmup <= TimeSpan.Zero || committed.All(c => c.Offset.IsSpecial))
            return null; // nothing was committed: everything is new, there is no state to rebuild
        if (warmup >= WorkerOptions.RebuildFromBeginning)
            return [.. inputs.Select(tp => new TopicPartitionOffset(tp, Offset.Beginning))];
        var since = new Timestamp(time.GetUtcNow() - warmup);
        try
        {
            var found = _lead!.OffsetsForTimes(inputs.Select(tp => new TopicPartitionTimestamp(tp, since)), TimeSpan.FromSeconds(30));
            return [.. found.Zip(committed, (f, c) =>
                // Never past the committed offset (that would skip unprocessed records); no record at or after the
                // time means the window holds nothing before the committed offset to re-read.
                new TopicPartitionOffset(f.TopicPartition,
                    f.Offset.IsSpecial || f.Offset.Value < 0 ? (c.Offset.IsSpecial ? Offset.Beginning : c.Offset)
                    : c.Offset.IsSpecial ? Offset.Beginning // never committed: everything is still to emit
                    : new Offset(Math.Min(f.Offset.Value, c.Offset.Value))))];
        }
        catch (KafkaException ex)
        {
            _logger.LogWarning("State warm-up could not be resolved ({Reason}); starting at the committed offsets with empty state", ex.Error.Reason);
            return null;
        }
    }

    private PartitionGroupWorker CreateWorker(int partition, long[]? emitFrom, bool liveWarmup = false) => new(
        partition, pipelineFactory(partition), serdes, publisher, deadLetters, counters, options.MaxIdle, time,
        loggerFactory.CreateLogger<PartitionGroupWorker>(), batches, emitFrom, liveWarmup);

    // Replay: no group membership, so no rebalance can hand these partitions to anyone or take them away;
    // each input is read from its warm-up start, and one with nothing to read is at its end from the start.
    private void AssignReplay(ReplayPlan plan)
    {
        var inputs = serdes.Topics.BehaviourInputs;
        var lead = new List<TopicPartitionOffset>();
        var companions = new List<TopicPartitionOffset>();
        foreach (var partition in plan.Partitions)
        {
            var ranges = inputs.Select(topic => plan.RangeOf(topic, partition)).ToList();
            var worker = CreateWorker(partition, [.. ranges.Select(r => r.Start)]);
            _workers[partition] = worker;
            for (var input = 0; input < inputs.Count; input++)
            {
                var range = ranges[input];
                if (range.IsEmpty)
                {
                    worker.MarkAtEnd(input);
                    continue;
                }
                (input == 0 ? lead : companions).Add(new TopicPartitionOffset(inputs[input], partition, range.WarmupStart));
            }
        }
        if (lead.Count > 0)
            _lead!.Assign(lead);
        if (companions.Count > 0)
            _companion!.Assign(companions);
        _owned = [.. _workers.Keys.Order()];
        _logger.LogInformation("Replay {Job}: reading partitions [{Partitions}] as planned", plan.JobId, string.Join(",", _owned));
    }

    // Replay: a record at or past the planned end is not read (it arrived after the job started, or is
    // past --to); the input is at its end once the record before the end is handed over.
    private bool DispatchReplay(ConsumeResult<byte[]?, byte[]?> result, int input, PartitionGroupWorker worker)
    {
        var tp = result.TopicPartition;
        if (_ended.Contains(tp))
            return true;
        var end = replay!.RangeOf(result.Topic, result.Partition.Value).End;
        if (!result.IsPartitionEOF && result.Offset.Value < end)
            worker.Enqueue(input, result);
        // An end-of-partition below the planned end (an open upstream transaction holds the stable
        // offset back) is not the end of the range: more is coming.
        var next = result.IsPartitionEOF ? result.Offset.Value : result.Offset.Value + 1;
        if (next >= end)
        {
            _ended.Add(tp);
            (input == 0 ? _lead! : _companion!).Pause([tp]);
            worker.MarkAtEnd(input);
        }
        return true;
    }

    private void OnRevoked(IEnumerable<TopicPartition> revoked, bool commit)
    {
        var partitions = revoked.Select(p => p.Partition.Value).ToList();
        if (commit)
            Settle(partitions.Where(_workers.ContainsKey).Select(p => _workers[p]));
        foreach (var partition in partitions)
        {
            if (_workers.TryGetValue(partition, out var worker))
                worker.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        if (commit)
        {
            // Outputs already handed to the producer are waited for, so their offsets can be committed now
            // rather than re-done by the next owner.
            publisher.Flush(options.DrainTimeout);
            Commit(partitions);
        }
        var topics = serdes.Topics;
        _companion!.IncrementalUnassign([.. partitions.SelectMany(p => new[] { new TopicPartition(topics.Clicks, p), new TopicPartition(topics.Comments, p) })]);
        foreach (var partition in partitions)
        {
            _workers.Remove(partition);
            foreach (var topic in topics.BehaviourInputs)
            {
                _paused.Remove(new TopicPartition(topic, partition));
                _committed.Remove(new TopicPartition(topic, partition));
            }
        }
        _owned = [.. _workers.Keys.Order()];
        _logger.LogInformation("{Change} partitions [{Partitions}]", commit ? "Revoked" : "Lost", string.Join(",", partitions));
    }

    private bool Dispatch(ConsumeResult<byte[]?, byte[]?>? result)
    {
        if (result is null)
            return false;
        var input = InputOf(result.Topic);
        if (!_workers.TryGetValue(result.Partition.Value, out var worker))
            return true; // a record fetched just before its partition was revoked; the next owner reads it
        if (replay is not null)
            return DispatchReplay(result, input, worker);
        if (result.IsPartitionEOF)
            worker.MarkAtEnd(input);
        else
            worker.Enqueue(input, result);
        return true;
    }

    // Takes what the client has already fetched, a bounded batch at a time, so neither consumer
    // starves the other and pauses are re-evaluated often.
    private bool Drain(IConsumer<byte[]?, byte[]?> consumer)
    {
        var any = false;
        for (var i = 0; i < 500 && Dispatch(consumer.Consume(0)); i++)
            any = true;
        return any;
    }

    private int InputOf(string topic)
    {
        var inputs = serdes.Topics.BehaviourInputs;
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i] == topic)
                return i;
        }
        throw new InvalidOperationException($"record from unexpected topic '{topic}'");
    }

    private void UpdatePauses()
    {
        var inputs = serdes.Topics.BehaviourInputs;
        foreach (var (partition, worker) in _workers)
        {
            for (var input = 0; input < inputs.Count; input++)
            {
                var tp = new TopicPartition(inputs[input], partition);
                if (_ended.Contains(tp))
                    continue;
                var buffered = worker.Buffered(input);
                var consumer = input == 0 ? _lead! : _companion!;
                if (buffered >= options.MaxBufferedPerPartition && _paused.Add(tp))
                    consumer.Pause([tp]);
                else if (buffered <= options.MaxBufferedPerPartition / 2 && _paused.Remove(tp))
                    consumer.Resume([tp]);
            }
        }
    }

    private void Commit(IEnumerable<int> partitions)
    {
        // A replay never commits: not under the live group (it does not use it), and not under its own,
        // so re-running a job id starts from its plan again rather than from where a previous run stopped.
        if (replay is not null)
            return;
        var inputs = serdes.Topics.BehaviourInputs;
        var offsets = new List<TopicPartitionOffset>();
        foreach (var partition in partitions)
        {
            if (!_workers.TryGetValue(partition, out var worker))
                continue;
            for (var input = 0; input < inputs.Count; input++)
            {
                var offset = worker.CommittableOffset(input);
                var tp = new TopicPartition(inputs[input], partition);
                // Never behind what is committed: a warm-up re-reads records below it, and those must not move it back.
                if (offset < 0 || (_committed.TryGetValue(tp, out var last) && last >= offset))
                    continue;
                offsets.Add(new TopicPartitionOffset(tp, offset));
            }
        }
        if (offsets.Count == 0)
            return;
        try
        {
            _lead!.Commit(offsets);
            foreach (var o in offsets)
                _committed[o.TopicPartition] = o.Offset.Value;
        }
        catch (KafkaException ex) when (!ex.Error.IsFatal)
        {
            // Retriable (e.g. a rebalance in progress): the same offsets are tried again next interval.
            _logger.LogWarning("Commit failed, will retry: {Reason}", ex.Error.Reason);
        }
    }

    private void FinishBoundedRun(CancellationToken cancellationToken)
    {
        _logger.LogInformation("All inputs consumed to their end; labelling open impressions");
        Task.WaitAll([.. _workers.Values.Select(w => w.FlushAsync())], cancellationToken);
        var deadline = TimestampAfter(options.DrainTimeout);
        while (_workers.Values.Any(w => w.InFlight > 0))
        {
            if (time.GetElapsedTime(deadline) >= TimeSpan.Zero)
                throw new KafkaOutputException("outputs were not acknowledged within TrackRec:Kafka:DrainTimeout", null);
            publisher.Flush(TimeSpan.FromMilliseconds(100));
        }
    }

    // Slow-lane work about to finish is taken in before the last commit, within TrackRec:Kafka:DrainTimeout; what
    // does not finish in time stays uncommitted and is redone by the next owner (at least once, nothing lost).
    private void Settle(IEnumerable<PartitionGroupWorker> workers)
    {
        var settling = workers.Select(w => w.SettleAsync()).ToArray();
        if (!Task.WaitAll(settling, options.DrainTimeout))
            _logger.LogWarning("Slow-lane work did not settle within TrackRec:Kafka:DrainTimeout; its records stay uncommitted");
    }

    private long TimestampAfter(TimeSpan span) => time.GetTimestamp() + (long)(span.TotalSeconds * time.TimestampFrequency);

    private void Shutdown(IConsumer<byte[]?, byte[]?> lead, bool graceful)
    {
        try
        {
            if (graceful)
            {
                Settle(_workers.Values);
                publisher.Flush(options.DrainTimeout);
                Commit(_workers.Keys);
            }
            foreach (var worker in _workers.Values)
                worker.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _workers.Clear();
            _owned = [];
            lead.Close(); // leaves the group now instead of after a session timeout
        }
        catch (KafkaException ex)
        {
            _logger.LogWarning("Error while closing the consumer: {Reason}", ex.Error.Reason);
        }
    }
}
