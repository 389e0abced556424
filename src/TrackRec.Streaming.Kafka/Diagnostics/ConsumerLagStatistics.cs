using System.Globalization;
using System.Text.Json;
using TrackRec.Streaming.Diagnostics;

namespace TrackRec.Streaming.Kafka.Diagnostics;

/// <summary>
/// Reads consumer lag out of librdkafka's statistics JSON (<c>topics.*.partitions.*.consumer_lag</c>: end of
/// the partition minus the committed offset, i.e. records whose work is not yet durable). librdkafka only
/// knows the commits of the handle that made them; the co-partition consumer's offsets are committed by the
/// group member, so for those the caller supplies the committed offset and the lag is computed the same way.
/// </summary>
public static class ConsumerLagStatistics
{
    /// <summary>
    /// The lag of every partition the statistics know a lag for. The internal "-1" partition and partitions
    /// with an unknown lag (-1: not assigned, or nothing committed or fetched yet) are left out rather than
    /// reported as a value a dashboard would plot.
    /// </summary>
    /// <param name="json">One statistics event.</param>
    /// <param name="committed">The committed offset of a topic partition when librdkafka does not know it, or null.</param>
    /// <exception cref="JsonException">The text is not JSON.</exception>
    public static IReadOnlyList<PartitionLag> Parse(string json, Func<string, int, long?>? committed = null)
    {
        using var document = JsonDocument.Parse(json);
        var lags = new List<PartitionLag>();
        if (!document.RootElement.TryGetProperty("topics", out var topics) || topics.ValueKind != JsonValueKind.Object)
            return lags;
        foreach (var topic in topics.EnumerateObject())
        {
            if (!topic.Value.TryGetProperty("partitions", out var partitions) || partitions.ValueKind != JsonValueKind.Object)
                continue;
            foreach (var partition in partitions.EnumerateObject())
            {
                if (!int.TryParse(partition.Name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || id < 0)
                    continue;
                if (Int64(partition.Value, "consumer_lag") is long lag && lag >= 0)
                    lags.Add(new PartitionLag(topic.Name, id, lag));
                else if (LagOf(committed?.Invoke(topic.Name, id), EndOffset(partition.Value)) is long computed)
                    lags.Add(new PartitionLag(topic.Name, id, computed));
            }
        }
        return lags;
    }

    /// <summary>
    /// A partition's lag from the offset the worker committed and the end of the partition as the client knows it:
    /// null when either is unknown, or when the end the client saw is behind the commit.
    /// </summary>
    public static long? LagOf(long? committed, long? end) =>
        committed is long offset && offset >= 0 && end is long e && e >= offset ? e - offset : null;

    // The worker reads committed data only (isolation.level=read_committed), so the end is the last stable
    // offset, as librdkafka's own consumer_lag uses; the high watermark stands in when that is unknown.
    private static long? EndOffset(JsonElement partition) =>
        Int64(partition, "ls_offset") is long stable && stable >= 0 ? stable
        : Int64(partition, "hi_offset") is long high && high >= 0 ? high
        : null;

    private static long? Int64(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt64(out var number) ? number : null;
}
