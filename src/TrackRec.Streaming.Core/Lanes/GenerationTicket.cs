using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Lanes;

/// <summary>
/// One user's request for a new chain, from the partition that owns the user to the slow lane and back. The lane
/// posts the completion to <see cref="Deliver"/> (the partition's inbox) before it completes <see cref="Done"/>, so
/// whoever awaits <see cref="Done"/> finds the chain already in the inbox.
/// </summary>
public sealed class GenerationTicket
{
    private readonly TaskCompletionSource<GenerationCompletion> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates a ticket.</summary>
    /// <param name="request">What the generator reads.</param>
    /// <param name="priority">Where it queues.</param>
    /// <param name="owner">The partition that owns the user (so a revoked partition's tickets can be dropped).</param>
    /// <param name="trigger">The caller's handle of the record that asked (its offset is held until the completion is applied).</param>
    /// <param name="deliver">Where the completion goes; called on a lane thread.</param>
    /// <param name="enqueuedAt">Timestamp (TimeProvider) of the first request of this user still pending.</param>
    public GenerationTicket(ChainRequest request, GenerationPriority priority, object owner, object? trigger, Action<GenerationCompletion> deliver, long enqueuedAt)
    {
        Request = request ?? throw new ArgumentNullException(nameof(request));
        Priority = priority;
        Owner = owner ?? throw new ArgumentNullException(nameof(owner));
        Trigger = trigger;
        Deliver = deliver ?? throw new ArgumentNullException(nameof(deliver));
        EnqueuedAt = enqueuedAt;
    }

    /// <summary>The user.</summary>
    public string UserId => Request.UserId;

    /// <summary>What the generator reads.</summary>
    public ChainRequest Request { get; }

    /// <summary>Where it queues.</summary>
    public GenerationPriority Priority { get; }

    /// <summary>The partition that owns the user.</summary>
    public object Owner { get; }

    /// <summary>The record that asked.</summary>
    public object? Trigger { get; }

    /// <summary>Where the completion goes.</summary>
    public Action<GenerationCompletion> Deliver { get; }

    /// <summary>The input record being processed when the ticket was made: the generation's span links to it.</summary>
    public object? TraceRecord { get; } = Diagnostics.StreamActivities.CurrentRecord();

    /// <summary>When the user's oldest pending request was made (queue age).</summary>
    public long EnqueuedAt { get; internal set; }

    /// <summary>True once the lane has started the generation (it can no longer be superseded).</summary>
    public bool Started => Volatile.Read(ref _started) != 0;

    private int _started;

    internal void MarkStarted() => Volatile.Write(ref _started, 1);

    /// <summary>Completes once the completion has been delivered.</summary>
    public Task<GenerationCompletion> Done => _done.Task;

    /// <summary>Delivers <paramref name="completion"/>, then completes <see cref="Done"/>; only the first call counts.</summary>
    internal void Complete(GenerationCompletion completion)
    {
        if (_done.Task.IsCompleted)
            return;
        Deliver(completion);
        _done.TrySetResult(completion);
    }
}
