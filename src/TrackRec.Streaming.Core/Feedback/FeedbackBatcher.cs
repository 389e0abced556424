using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TrackRec.Streaming.Feedback;

/// <summary>
/// Gathers one partition's training records into batches and cuts them by record count or by event-time
/// span (<see cref="BatchOptions"/>). The cut depends only on the records and their stream positions, and
/// the batch id is derived from the input offset ranges (and the first and last record), so processing the
/// same input again cuts the same batches with the same ids: a retry rewrites a batch, never adds one.
/// A <paramref name="scope"/> (a replay's job id) is hashed into every id: a replay may cut the very batch the live
/// worker cut, from other models, and its id must not let a consumer drop it as the live one, or the reverse.
/// </summary>
public sealed class FeedbackBatcher<TOrigin>(int partition, BatchOptions options, string? scope = null)
{
    private readonly BatchOptions _options = options ?? throw new ArgumentNullException(nameof(options));
    private readonly List<PreferenceRecord> _preferences = [];
    private readonly List<ValidatorRecord> _validators = [];
    private readonly List<TOrigin> _origins = [];
    private readonly Dictionary<(string Topic, int Partition), (long First, long Last)> _ranges = [];
    private readonly List<string> _keys = [];
    private DateTimeOffset _first, _last;

    /// <summary>Records in the open batch.</summary>
    public int Pending => _keys.Count;

    /// <summary>
    /// Adds a preference record at the partition's event time <paramref name="at"/>; returns the batches this
    /// cut (the open one when the span ran out before this record, and the new one when it is full).
    /// </summary>
    public IReadOnlyList<FeedbackBatch<TOrigin>> Add(PreferenceRecord record, TOrigin origin, InputPosition position, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Add(() => _preferences.Add(record), "p:" + record.GenerationId, origin, position, at);
    }

    /// <summary>Adds a validator record; see <see cref="Add(PreferenceRecord, TOrigin, InputPosition, DateTimeOffset)"/>.</summary>
    public IReadOnlyList<FeedbackBatch<TOrigin>> Add(ValidatorRecord record, TOrigin origin, InputPosition position, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Add(() => _validators.Add(record), "v:" + record.Key, origin, position, at);
    }

    /// <summary>Cuts the open batch (end of a bounded run); null when it is empty.</summary>
    public FeedbackBatch<TOrigin>? Cut()
    {
        if (_keys.Count == 0)
            return null;
        var ranges = _ranges
            .OrderBy(r => r.Key.Topic, StringComparer.Ordinal).ThenBy(r => r.Key.Partition)
            .Select(r => new InputRange(r.Key.Topic, r.Key.Partition, r.Value.First, r.Value.Last))
            .ToList();
        var batch = new FeedbackBatch<TOrigin>(
            IdOf(partition, ranges, _keys[0], _keys[^1], _keys.Count, scope),
            partition, ranges, _preferences.ToList(), _validators.ToList(), _origins.ToList(), _first, _last);
        _preferences.Clear();
        _validators.Clear();
        _origins.Clear();
        _ranges.Clear();
        _keys.Clear();
        return batch;
    }

    /// <summary>The id of a batch: partition, offset ranges, its first and last record and its scope, hashed.</summary>
    public static string IdOf(int partition, IReadOnlyList<InputRange> ranges, string firstKey, string lastKey, int count, string? scope = null)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{partition}|{count}|{firstKey}|{lastKey}");
        if (scope is not null) // unscoped ids keep the form they had before scopes existed
            text.Append(CultureInfo.InvariantCulture, $"|scope={scope}");
        foreach (var r in ranges)
            text.Append(CultureInfo.InvariantCulture, $"|{r.Topic}:{r.Partition}:{r.FirstOffset}-{r.LastOffset}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
        var first = ranges.Count == 0 ? 0 : ranges.Min(r => r.FirstOffset);
        return string.Create(CultureInfo.InvariantCulture, $"p{partition:D3}-{first:D12}-{hash}");
    }

    private List<FeedbackBatch<TOrigin>> Add(Action add, string key, TOrigin origin, InputPosition position, DateTimeOffset at)
    {
        var cut = new List<FeedbackBatch<TOrigin>>(2);
        if (_keys.Count > 0 && at - _first >= _options.MaxSpan && Cut() is { } aged)
            cut.Add(aged);
        if (_keys.Count == 0)
            _first = at;
        _last = at > _last || _keys.Count == 0 ? at : _last;
        add();
        _keys.Add(key);
        _origins.Add(origin);
        var range = (position.Topic, position.Partition);
        _ranges[range] = _ranges.TryGetValue(range, out var r)
            ? (Math.Min(r.First, position.Offset), Math.Max(r.Last, position.Offset))
            : (position.Offset, position.Offset);
        if (_keys.Count >= _options.MaxRecords && Cut() is { } full)
            cut.Add(full);
        return cut;
    }
}
