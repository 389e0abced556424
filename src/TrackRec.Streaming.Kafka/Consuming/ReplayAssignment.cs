using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Kafka.Partitions;
using TrackRec.Streaming.Kafka.Replay;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// A replay's partitions: assigned by its plan with no group membership, so no rebalance can hand them to anyone or
/// take them away. Each input is read from its warm-up start to the end offset resolved when the job started (records
/// before the range only rebuild state), and nothing is ever committed, so re-running a job id reads its plan again.
/// </summary>
internal sealed class ReplayAssignment(ReplayPlan plan, IReadOnlyList<string> inputs, PartitionWorkerSet workers, ILogger logger) : IPartitionAssignment
{
    // Input partitions read to their planned end: paused for good, never resumed.
    private readonly HashSet<TopicPartition> _ended = [];
    private ConsumerPair? _consumers;

    public bool IsFinished => workers.AllIdleAtEnd; // always bounded, and done at once when the plan reads nothing

    public ConsumerBuilder<byte[]?, byte[]?> Configure(ConsumerBuilder<byte[]?, byte[]?> lead) => lead;

    public void Start(ConsumerPair consumers)
    {
        _consumers = consumers;
        var lead = new List<TopicPartitionOffset>();
        var companions = new List<TopicPartitionOffset>();
        foreach (var partition in plan.Partitions)
        {
            var ranges = inputs.Select(topic => plan.RangeOf(topic, partition)).ToList();
            var worker = workers.Add(partition, [.. ranges.Select(r => r.Start)]);
            for (var input = 0; input < inputs.Count; input++)
            {
                var range = ranges[input];
                if (range.IsEmpty)
                    worker.MarkAtEnd(input); // nothing to read: at its end from the start
                else
                    (input == 0 ? lead : companions).Add(new TopicPartitionOffset(inputs[input], partition, range.WarmupStart));
            }
        }
        if (lead.Count > 0)
            consumers.Lead.Assign(lead);
        if (companions.Count > 0)
            consumers.Companion.Assign(companions);
        logger.LogInformation("Replay {Job}: reading partitions [{Partitions}] as planned", plan.JobId, string.Join(",", workers.Owned));
    }

    // A record at or past the planned end is not read (it arrived after the job started, or is past --to); the input is
    // at its end once the record before the end is handed over.
    public void Dispatch(ConsumeResult<byte[]?, byte[]?> result, int input, PartitionGroupWorker worker)
    {
        var tp = result.TopicPartition;
        if (_ended.Contains(tp))
            return;
        var end = plan.RangeOf(result.Topic, result.Partition.Value).End;
        if (!result.IsPartitionEOF && result.Offset.Value < end)
            worker.Enqueue(input, result);
        // An end-of-partition below the planned end (an open upstream transaction holds the stable offset back) is not
        // the end of the range: more is coming.
        var next = result.IsPartitionEOF ? result.Offset.Value : result.Offset.Value + 1;
        if (next >= end)
        {
            _ended.Add(tp);
            _consumers!.Of(input).Pause([tp]);
            worker.MarkAtEnd(input);
        }
    }

    public bool IsEnded(TopicPartition partition) => _ended.Contains(partition);

    // Not under the live group (a replay does not use it), and not under its own, so re-running a job id starts from
    // its plan again rather than from where a previous run stopped.
    public void CommitOwned()
    {
    }

    public long? CommittedOf(string topic, int partition) => null;
}
