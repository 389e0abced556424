namespace TrackRec.Streaming.Lanes;

/// <summary>
/// Per-user retry backoff after degraded generations, so a failing endpoint is not asked again for the same user
/// at every impression: after the k-th consecutive failure the user waits base * 2^(k-1), capped. One partition's
/// users, one caller at a time (the partition's task).
/// </summary>
public sealed class UserBackoff
{
    private readonly TimeSpan _base;
    private readonly TimeSpan _max;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (int Failures, long RetryAt, IReadOnlyList<string> Roles)> _users = new(StringComparer.Ordinal);

    /// <summary>Creates the backoff with its base and cap.</summary>
    public UserBackoff(TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider time)
    {
        _base = baseDelay;
        _max = maxDelay < baseDelay ? baseDelay : maxDelay;
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Users currently backing off.</summary>
    public int Count => _users.Count;

    /// <summary>True when the user may be asked for a generation now.</summary>
    public bool MayRetry(string userId) =>
        !_users.TryGetValue(userId, out var state) || _time.GetTimestamp() >= state.RetryAt;

    /// <summary>The roles that failed in the user's last generation, or empty when it succeeded.</summary>
    public IReadOnlyList<string> FailedRoles(string userId) =>
        _users.TryGetValue(userId, out var state) ? state.Roles : [];

    /// <summary>Records a degraded generation (<paramref name="roles"/> failed): the user waits before the next try.</summary>
    public TimeSpan Fail(string userId, IReadOnlyList<string> roles)
    {
        var failures = _users.TryGetValue(userId, out var state) ? state.Failures + 1 : 1;
        var delay = Delay(failures);
        _users[userId] = (failures, _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency), roles);
        return delay;
    }

    /// <summary>Records a clean generation: the user's backoff ends.</summary>
    public void Succeed(string userId) => _users.Remove(userId);

    /// <summary>Forgets a user (evicted from state).</summary>
    public void Forget(string userId) => _users.Remove(userId);

    private TimeSpan Delay(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var ticks = Math.Min(_base.Ticks * factor, _max.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
