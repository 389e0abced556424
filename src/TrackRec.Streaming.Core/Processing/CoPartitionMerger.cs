namespace TrackRec.Streaming.Processing;

/// <summary>
/// Merges the co-partitions of one partition index (impressions-p, clicks-p, comments-p) into one
/// stream in timestamp order, as Kafka Streams' partition group does. Without it a replay that fetches
/// a week of clicks before the matching impressions would see clicks before the impressions they
/// belong to. A record is released only when every other input has a buffered record to compare it
/// with, has reached its end, or has been empty for longer than the idle limit. An input that has
/// delivered neither a record nor its end since it was assigned is always waited for: its position is
/// unknown, and a first fetch (a new connection, an offset lookup) can take longer than any idle limit
/// that suits a running stream. Not thread-safe.
/// </summary>
public sealed class CoPartitionMerger<T>
{
    private readonly Queue<(T Item, DateTimeOffset Timestamp)>[] _queues;
    private readonly bool[] _atEnd;
    private readonly bool[] _started;
    private readonly long?[] _emptySince;
    private readonly TimeSpan _maxIdle;
    private readonly TimeProvider _time;

    /// <summary>Creates a merger of <paramref name="inputs"/> inputs.</summary>
    public CoPartitionMerger(int inputs, TimeSpan maxIdle, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        _queues = new Queue<(T, DateTimeOffset)>[inputs];
        for (var i = 0; i < inputs; i++)
            _queues[i] = new Queue<(T, DateTimeOffset)>();
        _atEnd = new bool[inputs];
        _started = new bool[inputs];
        _emptySince = new long?[inputs];
        _maxIdle = maxIdle;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Records buffered for an input.</summary>
    public int Buffered(int input) => _queues[input].Count;

    /// <summary>Records buffered over all inputs.</summary>
    public int TotalBuffered => _queues.Sum(q => q.Count);

    /// <summary>Buffers a record of an input.</summary>
    public void Enqueue(int input, T item, DateTimeOffset timestamp)
    {
        _queues[input].Enqueue((item, timestamp));
        _started[input] = true;
        _atEnd[input] = false;
        _emptySince[input] = null;
    }

    /// <summary>The input has delivered everything its partition holds for now.</summary>
    public void MarkAtEnd(int input)
    {
        _atEnd[input] = true;
        _started[input] = true;
    }

    /// <summary>True when every input is empty and at its end: nothing more to process for now.</summary>
    public bool IsDrainedToEnd()
    {
        for (var i = 0; i < _queues.Length; i++)
        {
            if (_queues[i].Count > 0 || !_atEnd[i])
                return false;
        }
        return true;
    }

    /// <summary>Times an input was given up on after the idle limit (order may have been broken then).</summary>
    public long IdleReleases { get; private set; }

    /// <summary>
    /// Takes the buffered record with the smallest timestamp if it is safe to release. When it returns
    /// false, <paramref name="retryAfter"/> says when an idle input stops being waited for (null: wait
    /// for new records).
    /// </summary>
    public bool TryDequeue(out T item, out int input, out TimeSpan? retryAfter)
    {
        item = default!;
        input = -1;
        retryAfter = null;
        var best = -1;
        for (var i = 0; i < _queues.Length; i++)
        {
            if (_queues[i].Count > 0 && (best < 0 || _queues[i].Peek().Timestamp < _queues[best].Peek().Timestamp))
                best = i;
        }
        if (best < 0)
            return false;

        var now = _time.GetTimestamp();
        for (var i = 0; i < _queues.Length; i++)
        {
            if (i == best || _queues[i].Count > 0 || _atEnd[i])
                continue;
            if (!_started[i])
            {
                retryAfter = null;
                return false; // wait for the input's first record or end, however long it takes
            }
            _emptySince[i] ??= now;
            var idle = _time.GetElapsedTime(_emptySince[i]!.Value, now);
            if (idle < _maxIdle)
            {
                var wait = _maxIdle - idle;
                retryAfter = retryAfter is null || wait < retryAfter ? wait : retryAfter;
            }
        }
        if (retryAfter is not null)
            return false;

        for (var i = 0; i < _queues.Length; i++)
        {
            if (i != best && _queues[i].Count == 0 && !_atEnd[i])
                IdleReleases++;
        }
        (item, _) = _queues[best].Dequeue();
        input = best;
        if (_queues[best].Count == 0 && !_atEnd[best])
            _emptySince[best] = now;
        return true;
    }
}
