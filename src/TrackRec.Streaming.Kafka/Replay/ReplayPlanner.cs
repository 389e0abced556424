using System.Text.RegularExpressions;
using Confluent.Kafka;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Consuming;

namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>
/// Resolves a <see cref="ReplayRequest"/> into offsets, once, at the start of the job. Reads only
/// metadata, watermarks, the time index and (for explicit offsets) one record's timestamp: it never
/// joins a group, commits, produces or creates a topic, so a dry run is just this.
/// <para>
/// Time range: per input partition, start = first offset at/after --from, end = first offset at/after
/// --to (clicks and comments: --to + the engagement tail), warm-up start = first offset at/after
/// --from minus --warmup; where no record is that late, the high watermark seen now. Explicit offsets:
/// the ranges as given (within the partition's current bounds); warm-up start = first offset at/after
/// the start record's timestamp minus --warmup.
/// </para>
/// </summary>
public sealed partial class ReplayPlanner(KafkaOptions kafka, TopicOptions topics, Func<IConsumer<byte[]?, byte[]?>, IOffsetTimeIndex>? timeIndex = null)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The consumer group of a replay job: its own, derived from the job id.</summary>
    public static string GroupIdOf(string jobId) => "trackrec-replay-" + jobId;

    /// <summary>Resolves the plan; throws <see cref="ReplayPlanException"/> naming the option that is wrong.</summary>
    public ReplayPlan Plan(ReplayRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!JobIdPattern().IsMatch(request.JobId))
            throw new ReplayPlanException($"--job '{request.JobId}' must be 1-100 letters, digits, '.', '_' or '-'");
        if (request.Warmup < TimeSpan.Zero)
            throw new ReplayPlanException("--warmup must not be negative");
        var groupId = GroupIdOf(request.JobId);
        // The one thing a replay must never do is move the live workers' offsets.
        if (string.Equals(groupId, kafka.GroupId, StringComparison.Ordinal))
            throw new ReplayPlanException($"--job '{request.JobId}' gives the replay group '{groupId}', which is the live group (TrackRec:Kafka:GroupId)");
        var targets = ReplayTargets.For(topics, request.TargetSuffix, request.ToLive);

        var partitionCount = Consuming.TopicMetadata.RequireCoPartitioned(kafka, topics);
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(ConsumerSettings.Create(kafka, "trackrec-replay-planner", groupId)).Build();
        var index = timeIndex?.Invoke(consumer) ?? new BrokerOffsetTimeIndex(consumer, Timeout);
        var bounds = new Dictionary<TopicPartition, (long Low, long High)>();
        foreach (var topic in topics.BehaviourInputs)
        {
            for (var p = 0; p < partitionCount; p++)
            {
                var tp = new TopicPartition(topic, p);
                var w = consumer.QueryWatermarkOffsets(tp, Timeout);
                bounds[tp] = (w.Low.Value, w.High.Value);
            }
        }

        var ranges = request.Selection switch
        {
            TimeRangeSelection time => ByTime(time, request, index, bounds),
            OffsetSelection offsets => ByOffsets(offsets, request, index, bounds, consumer, partitionCount),
            _ => throw new ArgumentException($"unknown selection {request.Selection.GetType().Name}", nameof(request)),
        };
        return new ReplayPlan(request.JobId, groupId, ranges, targets);
    }

    private List<ReplayRange> ByTime(TimeRangeSelection time, ReplayRequest request, IOffsetTimeIndex index, Dictionary<TopicPartition, (long Low, long High)> bounds)
    {
        if (time.To <= time.From)
            throw new ReplayPlanException($"--to ({time.To:O}) must be after --from ({time.From:O})");
        var ranges = new List<ReplayRange>();
        foreach (var topic in topics.BehaviourInputs)
        {
            var partitions = bounds.Keys.Where(tp => tp.Topic == topic).OrderBy(tp => tp.Partition.Value).ToList();
            var to = topic == topics.Impressions ? time.To : time.To + request.EngagementTail;
            var warm = index.OffsetsAt(partitions, time.From - request.Warmup);
            var start = index.OffsetsAt(partitions, time.From);
            var end = index.OffsetsAt(partitions, to);
            foreach (var tp in partitions)
            {
                var (low, high) = bounds[tp];
                long Resolve(long? offset) => Math.Clamp(offset ?? high, low, high);
                var s = Resolve(start[tp]);
                var e = Math.Max(s, Resolve(end[tp]));
                ranges.Add(new ReplayRange(topic, tp.Partition.Value, Math.Min(Resolve(warm[tp]), s), s, e));
            }
        }
        return ranges;
    }

    private List<ReplayRange> ByOffsets(
        OffsetSelection selection, ReplayRequest request, IOffsetTimeIndex index,
        Dictionary<TopicPartition, (long Low, long High)> bounds, IConsumer<byte[]?, byte[]?> consumer, int partitionCount)
    {
        var ranges = new List<ReplayRange>();
        foreach (var spec in selection.Ranges)
        {
            var topic = TopicOf(spec.Topic);
            if (spec.Partition >= partitionCount)
                throw new ReplayPlanException($"--offsets: {spec.Topic}:{spec.Partition}: '{topic}' has partitions 0-{partitionCount - 1}");
            var tp = new TopicPartition(topic, spec.Partition);
            var (low, high) = bounds[tp];
            if (spec.Start < low || spec.End > high)
                throw new ReplayPlanException($"--offsets: {spec.Topic}:{spec.Partition}:{spec.Start}-{spec.End} is outside the partition's offsets {low}-{high}");
            var warmStart = spec.Start;
            if (request.Warmup > TimeSpan.Zero && spec.Start < spec.End && TimestampAt(consumer, tp, spec.Start) is { } startTime)
                warmStart = Math.Clamp(index.OffsetsAt([tp], startTime - request.Warmup)[tp] ?? spec.Start, low, spec.Start);
            ranges.Add(new ReplayRange(topic, spec.Partition, warmStart, spec.Start, spec.End));
        }
        return ranges;
    }

    private string TopicOf(string name)
    {
        var topic = name switch
        {
            "impressions" => topics.Impressions,
            "clicks" => topics.Clicks,
            "comments" => topics.Comments,
            _ => name,
        };
        if (!topics.BehaviourInputs.Contains(topic))
            throw new ReplayPlanException($"--offsets: '{name}' is not an input (impressions, clicks, comments or one of {string.Join(", ", topics.BehaviourInputs)})");
        return topic;
    }

    // The timestamp of the first record at or after the offset (an offset can be a transaction marker).
    private static DateTimeOffset? TimestampAt(IConsumer<byte[]?, byte[]?> consumer, TopicPartition tp, long offset)
    {
        consumer.Assign(new TopicPartitionOffset(tp, offset));
        try
        {
            var deadline = DateTime.UtcNow + Timeout;
            while (DateTime.UtcNow < deadline)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(200));
                if (result is null)
                    continue;
                if (result.IsPartitionEOF)
                    return null;
                return KafkaTimestamps.ToDateTimeOffset(result.Message.Timestamp);
            }
            throw new TimeoutException($"could not read the record at {tp}@{offset} within {Timeout.TotalSeconds:F0}s");
        }
        finally
        {
            consumer.Unassign();
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex JobIdPattern();
}
