using System.Globalization;

namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>
/// One explicitly chosen input range, as given with --offsets: TOPIC:PARTITION:START-END where TOPIC is
/// impressions, clicks, comments or a configured input topic name, and END is exclusive (Kafka's
/// convention: 100-250 reads offsets 100..249).
/// </summary>
public sealed record OffsetRangeSpec(string Topic, int Partition, long Start, long End)
{
    /// <summary>Parses a comma-separated list; throws <see cref="ReplayPlanException"/> naming --offsets on any malformed entry.</summary>
    public static IReadOnlyList<OffsetRangeSpec> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<OffsetRangeSpec>();
        foreach (var entry in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Split from the right: only the last two colons separate fields, whatever the topic name holds.
            var boundsAt = entry.LastIndexOf(':');
            var partitionAt = boundsAt > 0 ? entry.LastIndexOf(':', boundsAt - 1) : -1;
            var bounds = boundsAt >= 0 ? entry[(boundsAt + 1)..].Split('-') : [];
            if (partitionAt <= 0 || bounds.Length != 2
                || !int.TryParse(entry[(partitionAt + 1)..boundsAt], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !long.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                || !long.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end))
                throw new ReplayPlanException($"--offsets: '{entry}' is not TOPIC:PARTITION:START-END (e.g. impressions:0:100-250)");
            if (end < start)
                throw new ReplayPlanException($"--offsets: '{entry}' ends before it starts");
            result.Add(new OffsetRangeSpec(entry[..partitionAt], partition, start, end));
        }
        if (result.Count == 0)
            throw new ReplayPlanException("--offsets: no range given (e.g. impressions:0:100-250,clicks:0:40-120)");
        var duplicates = result.GroupBy(r => (r.Topic, r.Partition)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Topic}:{g.Key.Partition}").ToList();
        if (duplicates.Count > 0)
            throw new ReplayPlanException($"--offsets: {string.Join(", ", duplicates)} given more than once");
        return result;
    }
}
