namespace TrackRec.Streaming.Kafka.Offsets;

/// <summary>
/// At-least-once bookkeeping for one topic-partition. Records finish out of order (an impression waits
/// for its outcome while later clicks finish at once), but only the highest contiguous finished offset
/// may be committed: committing past an unfinished record would lose it on restart.
/// A record is finished when every hold on it is released: one for its processing, one per output
/// that must be acknowledged, one for an outcome still owed. Thread-safe: holds are released from
/// producer delivery callbacks while the consume thread reads the committable offset.
/// </summary>
public sealed class PartitionOffsetTracker
{
    private readonly Lock _gate = new();
    // Offsets in consumption order (increasing, not necessarily contiguous numbers: compaction and
    // transaction markers leave gaps) with their outstanding holds.
    private readonly LinkedList<Entry> _order = new();
    private readonly Dictionary<long, LinkedListNode<Entry>> _byOffset = [];
    private long _committable = -1;

    /// <summary>The offset to commit (next to consume) or -1 when nothing has finished since the start.</summary>
    public long CommittableOffset
    {
        get { lock (_gate) return _committable; }
    }

    /// <summary>Records tracked and not yet finished or passed.</summary>
    public int InFlight
    {
        get { lock (_gate) return _order.Count; }
    }

    /// <summary>Starts tracking a consumed record with one hold (its processing).</summary>
    public void Begin(long offset)
    {
        lock (_gate)
        {
            if (_order.Last is { } last && offset <= last.Value.Offset)
                throw new InvalidOperationException($"offset {offset} was consumed after {last.Value.Offset}; a partition's offsets must increase");
            if (_committable > offset)
                throw new InvalidOperationException($"offset {offset} is below the committable offset {_committable}");
            _byOffset[offset] = _order.AddLast(new Entry(offset));
        }
    }

    /// <summary>Adds a hold (an output or an outcome the record still owes).</summary>
    public void Hold(long offset)
    {
        lock (_gate)
        {
            if (!_byOffset.TryGetValue(offset, out var node) || node.Value.Finished)
                throw new InvalidOperationException($"offset {offset} is not in flight");
            node.Value.Holds++;
        }
    }

    /// <summary>Releases a hold; when the last is released the record is finished.</summary>
    public void Release(long offset)
    {
        lock (_gate)
        {
            if (!_byOffset.TryGetValue(offset, out var node) || node.Value.Finished)
                throw new InvalidOperationException($"offset {offset} is not in flight");
            if (--node.Value.Holds > 0)
                return;
            node.Value.Finished = true;
            while (_order.First is { Value.Finished: true } head)
            {
                _committable = head.Value.Offset + 1;
                _byOffset.Remove(head.Value.Offset);
                _order.RemoveFirst();
            }
        }
    }

    private sealed class Entry(long offset)
    {
        public long Offset { get; } = offset;
        public int Holds { get; set; } = 1;
        public bool Finished { get; set; }
    }
}
