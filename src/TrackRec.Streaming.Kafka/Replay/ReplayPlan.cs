using System.Text;

namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>
/// A replay with every offset resolved: the job, its own consumer group, what it reads per input
/// partition and where it writes. Made once at the start, so the job is bounded and re-running it
/// with the same job id reads (and keys) the same records.
/// </summary>
public sealed class ReplayPlan
{
    private readonly Dictionary<(string Topic, int Partition), ReplayRange> _byPartition;

    /// <summary>Creates a plan.</summary>
    public ReplayPlan(string jobId, string groupId, IReadOnlyList<ReplayRange> ranges, ReplayTargets targets)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobId);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        JobId = jobId;
        GroupId = groupId;
        Ranges = ranges ?? throw new ArgumentNullException(nameof(ranges));
        Targets = targets ?? throw new ArgumentNullException(nameof(targets));
        _byPartition = ranges.ToDictionary(r => (r.Topic, r.Partition));
        RangeHeader = string.Join(';', ranges.Where(r => r.Count > 0)
            .OrderBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.Partition).Select(r => r.ToString()));
    }

    /// <summary>The job id.</summary>
    public string JobId { get; }

    /// <summary>The replay's consumer group (never the live one). Nothing is ever committed under it.</summary>
    public string GroupId { get; }

    /// <summary>What is read, per input topic and partition.</summary>
    public IReadOnlyList<ReplayRange> Ranges { get; }

    /// <summary>Where the outputs go.</summary>
    public ReplayTargets Targets { get; }

    /// <summary>The value of the trackrec-replay-range header.</summary>
    public string RangeHeader { get; }

    /// <summary>Records read in all, warm-up included (approximate).</summary>
    public long TotalRecords => Ranges.Sum(r => r.WarmupCount + r.Count);

    /// <summary>Partition indexes with anything to read.</summary>
    public IReadOnlyList<int> Partitions => [.. Ranges.Where(r => !r.IsEmpty).Select(r => r.Partition).Distinct().Order()];

    /// <summary>The range of one input partition; an empty one when the plan does not read it.</summary>
    public ReplayRange RangeOf(string topic, int partition) =>
        _byPartition.TryGetValue((topic, partition), out var range) ? range : new ReplayRange(topic, partition, 0, 0, 0);

    /// <summary>The headers every output record carries.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> Headers =>
    [
        KeyValuePair.Create(ReplayHeaders.Job, Encoding.UTF8.GetBytes(JobId)),
        KeyValuePair.Create(ReplayHeaders.Range, Encoding.UTF8.GetBytes(RangeHeader)),
    ];
}
