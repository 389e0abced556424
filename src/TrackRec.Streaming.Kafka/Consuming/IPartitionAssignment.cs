using Confluent.Kafka;
using TrackRec.Streaming.Kafka.Partitions;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// How a worker comes to own partitions and what it owes for them: as a member of the live group
/// (<see cref="LiveGroupAssignment"/>: rebalances, state warm-up, commits) or by a replay's plan
/// (<see cref="ReplayAssignment"/>: fixed partitions, bounded ranges, never a commit). The consume loop is the same.
/// </summary>
internal interface IPartitionAssignment
{
    /// <summary>Hooks the lead consumer up to the group's callbacks (live); a replay's lead needs none.</summary>
    ConsumerBuilder<byte[]?, byte[]?> Configure(ConsumerBuilder<byte[]?, byte[]?> lead);

    /// <summary>Takes the partitions: joins the group (live) or assigns the plan's (replay).</summary>
    void Start(ConsumerPair consumers);

    /// <summary>Hands a fetched record, or the end of its partition, to the partition's worker.</summary>
    void Dispatch(ConsumeResult<byte[]?, byte[]?> result, int input, PartitionGroupWorker worker);

    /// <summary>Whether an input partition is read to its planned end, and so stays paused for good.</summary>
    bool IsEnded(TopicPartition partition);

    /// <summary>Whether a bounded run is done: every partition it owns is processed to its end.</summary>
    bool IsFinished { get; }

    /// <summary>Commits what is durable of every owned partition (live); a replay commits nothing.</summary>
    void CommitOwned();

    /// <summary>The committed offset of an input partition (the lag gauge), or null.</summary>
    long? CommittedOf(string topic, int partition);
}
