using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Offsets;
using TrackRec.Streaming.Kafka.Partitions;
using TrackRec.Streaming.Kafka.Producing;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// The live worker's partitions: the group assigns impressions-p (cooperative-sticky, no stop-the-world rebalance), the
/// companion follows with clicks-p and comments-p from their committed offsets (earlier with a state warm-up), and on
/// revocation the partitions settle, their outputs are flushed and their offsets committed before they go.
/// </summary>
internal sealed class LiveGroupAssignment(
    KafkaOptions options,
    WorkerOptions worker,
    TopicOptions topics,
    PartitionWorkerSet workers,
    PartitionPauser pauser,
    OutputPublisher publisher,
    TimeProvider time,
    ILogger logger) : IPartitionAssignment
{
    private readonly IReadOnlyList<string> _inputs = topics.BehaviourInputs;
    private readonly OffsetCommitter _committer = new(topics.BehaviourInputs, logger);
    private readonly StateWarmup _warmup = new(worker, time, logger);
    private ConsumerPair? _consumers;

    public bool IsFinished => worker.StopAtEnd && workers.Count > 0 && workers.AllIdleAtEnd;

    public ConsumerBuilder<byte[]?, byte[]?> Configure(ConsumerBuilder<byte[]?, byte[]?> lead) => lead
        .SetPartitionsAssignedHandler((_, assigned) => OnAssigned(assigned))
        .SetPartitionsRevokedHandler((_, revoked) => OnRevoked(revoked.Select(p => p.TopicPartition), commit: true))
        .SetPartitionsLostHandler((_, lost) => OnRevoked(lost.Select(p => p.TopicPartition), commit: false));

    public void Start(ConsumerPair consumers)
    {
        _consumers = consumers;
        consumers.Lead.Subscribe(topics.Impressions);
    }

    public void Dispatch(ConsumeResult<byte[]?, byte[]?> result, int input, PartitionGroupWorker worker)
    {
        if (result.IsPartitionEOF)
            worker.MarkAtEnd(input);
        else
            worker.Enqueue(input, result);
    }

    public bool IsEnded(TopicPartition partition) => false;

    public void CommitOwned() => _committer.Commit(_consumers!.Lead, workers.All);

    public long? CommittedOf(string topic, int partition) => _committer.CommittedOf(topic, partition);

    // Returns where the lead (impressions) partitions start: their committed offsets, or earlier with a state warm-up.
    private IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> assigned)
    {
        var companions = new List<TopicPartitionOffset>();
        var leads = new List<TopicPartitionOffset>();
        foreach (var tp in assigned)
        {
            var partition = tp.Partition.Value;
            var all = _inputs.Select(topic => new TopicPartition(topic, partition)).ToList();
            var committed = _consumers!.Lead.Committed(all, TimeSpan.FromSeconds(30));
            _committer.Seed(committed);
            var starts = _warmup.Starts(_consumers.Lead, all, committed);
            long[]? emitFrom = starts is null ? null : [.. committed.Select(c => c.Offset.IsSpecial ? 0 : c.Offset.Value)];
            leads.Add(starts?[0] ?? new TopicPartitionOffset(tp, Offset.Unset));
            companions.AddRange(starts?.Skip(1) ?? committed.Skip(1).Select(c => new TopicPartitionOffset(c.TopicPartition, c.Offset.IsSpecial ? Offset.Unset : c.Offset)));
            workers.Add(partition, emitFrom, liveWarmup: starts is not null);
        }
        if (companions.Count > 0)
            _consumers!.Companion.IncrementalAssign(companions);
        logger.LogInformation("Assigned partitions [{Partitions}]", string.Join(",", assigned.Select(p => p.Partition.Value)));
        return leads;
    }

    private void OnRevoked(IEnumerable<TopicPartition> revoked, bool commit)
    {
        var partitions = revoked.Select(p => p.Partition.Value).ToList();
        if (commit)
            workers.Settle(partitions);
        var stopped = workers.Remove(partitions);
        if (commit)
        {
            // Outputs already handed to the producer are waited for, so their offsets can be committed now rather than
            // re-done by the next owner.
            publisher.Flush(options.DrainTimeout);
            _committer.Commit(_consumers!.Lead, stopped);
        }
        _consumers!.Companion.IncrementalUnassign([.. partitions.SelectMany(p => _inputs.Skip(1).Select(topic => new TopicPartition(topic, p)))]);
        foreach (var partition in partitions)
        {
            pauser.Forget(partition);
            _committer.Forget(partition);
        }
        logger.LogInformation("{Change} partitions [{Partitions}]", commit ? "Revoked" : "Lost", string.Join(",", partitions));
    }
}
