namespace TrackRec.Streaming.Kafka.Partitions;

/// <summary>A request to a partition's loop (flush, settle): one pending at a time, asked from any thread, completed by the loop.</summary>
internal sealed class LoopRequest
{
    private readonly Lock _gate = new();
    private TaskCompletionSource? _pending;

    /// <summary>The request waiting for the loop, or null.</summary>
    public TaskCompletionSource? Pending
    {
        get
        {
            lock (_gate)
                return _pending;
        }
    }

    /// <summary>Asks (or joins the request already pending); the task completes when the loop has done it.</summary>
    public Task Ask()
    {
        lock (_gate)
            return (_pending ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
    }

    /// <summary>The loop has done <paramref name="request"/>.</summary>
    public void Complete(TaskCompletionSource request)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_pending, request))
                _pending = null;
        }
        request.TrySetResult();
    }
}
