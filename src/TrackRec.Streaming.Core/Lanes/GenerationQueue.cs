namespace TrackRec.Streaming.Lanes;

/// <summary>
/// The worker's pending generations, at most one per user: a newer request of a user supersedes the older one
/// (which is completed as superseded, so its partition releases what it held), keeping the older one's place in
/// the queue age. Ordered by <see cref="GenerationPriority"/>. Thread-safe: partitions enqueue, the slow lane
/// dequeues.
/// </summary>
public sealed class GenerationQueue
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<GenerationTicket, GenerationPriority> _heap = new();
    private readonly Dictionary<string, GenerationTicket> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _signal = new(0);
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private long _sequence;
    private long _shed;
    private long _superseded;

    /// <summary>Creates an empty queue holding at most <paramref name="capacity"/> users.</summary>
    public GenerationQueue(int capacity, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Users with a generation pending.</summary>
    public int Depth
    {
        get
        {
            lock (_gate)
                return _pending.Count;
        }
    }

    /// <summary>Requests refused because the queue was full.</summary>
    public long Shed => Interlocked.Read(ref _shed);

    /// <summary>Requests replaced by a newer one of the same user.</summary>
    public long Superseded => Interlocked.Read(ref _superseded);

    /// <summary>How long the oldest pending user has waited (zero when none).</summary>
    public TimeSpan OldestAge
    {
        get
        {
            long oldest;
            lock (_gate)
            {
                if (_pending.Count == 0)
                    return TimeSpan.Zero;
                oldest = _pending.Values.Min(t => t.EnqueuedAt);
            }
            return _time.GetElapsedTime(oldest);
        }
    }

    /// <summary>The next sequence number, for FIFO order among equal priorities.</summary>
    public long NextSequence() => Interlocked.Increment(ref _sequence);

    /// <summary>
    /// Queues <paramref name="ticket"/>. Returns false when the queue is full and the user had nothing pending (the
    /// ticket is not queued). A ticket the new one supersedes is completed as superseded.
    /// </summary>
    public bool TryEnqueue(GenerationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        GenerationTicket? replaced;
        lock (_gate)
        {
            if (_pending.TryGetValue(ticket.UserId, out replaced))
            {
                ticket.EnqueuedAt = Math.Min(ticket.EnqueuedAt, replaced.EnqueuedAt);
            }
            else if (_pending.Count >= _capacity)
            {
                Interlocked.Increment(ref _shed);
                return false;
            }
            _pending[ticket.UserId] = ticket;
            _heap.Enqueue(ticket, ticket.Priority);
        }
        if (replaced is null)
        {
            _signal.Release();
        }
        else
        {
            Interlocked.Increment(ref _superseded);
            replaced.Complete(GenerationCompletion.SupersededBy(replaced));
        }
        return true;
    }

    /// <summary>Takes the most urgent pending ticket, or false when none is pending.</summary>
    public bool TryDequeue(out GenerationTicket ticket)
    {
        lock (_gate)
        {
            while (_heap.TryDequeue(out var next, out _))
            {
                // Superseded and removed tickets stay in the heap until they surface; only the user's current one counts.
                if (_pending.TryGetValue(next.UserId, out var current) && ReferenceEquals(current, next))
                {
                    _pending.Remove(next.UserId);
                    ticket = next;
                    return true;
                }
            }
        }
        ticket = null!;
        return false;
    }

    /// <summary>Waits until a ticket may be pending (it may have been taken or removed meanwhile: call <see cref="TryDequeue"/>).</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _signal.WaitAsync(cancellationToken);

    /// <summary>Removes the pending tickets of <paramref name="owner"/> (a revoked partition) and completes them as superseded.</summary>
    public int RemoveOwner(object owner)
    {
        List<GenerationTicket> removed;
        lock (_gate)
        {
            removed = _pending.Values.Where(t => ReferenceEquals(t.Owner, owner)).ToList();
            foreach (var t in removed)
                _pending.Remove(t.UserId);
        }
        foreach (var t in removed)
            t.Complete(GenerationCompletion.SupersededBy(t));
        return removed.Count;
    }
}
