namespace TrackRec.Streaming.Chains;

/// <summary>
/// A set of roles while it serves, counting the calls that use it, so a set replaced by new model versions is released
/// (its ONNX sessions, its HTTP client) only once the generations that started with it have finished.
/// </summary>
internal sealed class ServingRoles(ChainRoles roles)
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _users;
    private int _retired;

    public ChainRoles Roles { get; } = roles;

    /// <summary>Completes once the set is retired and no call uses it any more.</summary>
    public Task Idle => _idle.Task;

    public void Enter() => Interlocked.Increment(ref _users);

    public void Exit()
    {
        if (Interlocked.Decrement(ref _users) == 0 && Volatile.Read(ref _retired) == 1)
            _idle.TrySetResult();
    }

    /// <summary>No new call takes this set; <see cref="Idle"/> completes when the last one in flight exits.</summary>
    public void Retire()
    {
        Volatile.Write(ref _retired, 1);
        if (Volatile.Read(ref _users) == 0)
            _idle.TrySetResult();
    }
}
