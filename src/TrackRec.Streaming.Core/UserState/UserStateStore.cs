namespace TrackRec.Streaming.UserState;

/// <summary>
/// The histories of the users one partition owns. A dictionary in memory: per the state-store advice in
/// confluent-kafka-dotnet's examples, that is simplest and fastest while the working set fits; the least
/// recently active users are forgotten past <see cref="UserStateOptions.MaxUsersPerPartition"/>.
/// Not thread-safe: one partition's events are processed by one task.
/// </summary>
public sealed class UserStateStore
{
    private readonly UserStateOptions _options;
    private readonly Dictionary<string, LinkedListNode<UserHistory>> _users = new(StringComparer.Ordinal);
    private readonly LinkedList<UserHistory> _recency = new();

    private readonly Action<string>? _evicted;

    /// <summary>Creates an empty store; <paramref name="evicted"/> hears of every user forgotten, so state kept beside it can follow.</summary>
    public UserStateStore(UserStateOptions options, Action<string>? evicted = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _evicted = evicted;
    }

    /// <summary>Users currently remembered.</summary>
    public int Count => _users.Count;

    /// <summary>The user's history, created empty on first sight; marks the user as recently active.</summary>
    public UserHistory GetOrCreate(string userId)
    {
        if (_users.TryGetValue(userId, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value;
        }
        if (_users.Count >= _options.MaxUsersPerPartition && _recency.Last is { } oldest)
        {
            _recency.RemoveLast();
            _users.Remove(oldest.Value.UserId);
            _evicted?.Invoke(oldest.Value.UserId);
        }
        var created = _recency.AddFirst(new UserHistory(userId, _options.HistoryLength, _options.OutcomeLength));
        _users.Add(userId, created);
        return created.Value;
    }

    /// <summary>The user's history if remembered, without touching recency.</summary>
    public UserHistory? Find(string userId) => _users.TryGetValue(userId, out var node) ? node.Value : null;
}
