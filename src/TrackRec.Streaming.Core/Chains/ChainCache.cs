namespace TrackRec.Streaming.Chains;

/// <summary>
/// The current chain of each user of a partition, and the rule for when it is stale. Staleness is
/// measured in history events and in event time, never wall-clock time, so a replay ages chains as
/// live traffic did.
/// </summary>
public sealed class ChainCache
{
    private readonly ChainFreshnessOptions _options;
    private readonly Dictionary<string, Chain> _chains = new(StringComparer.Ordinal);

    /// <summary>Creates an empty cache.</summary>
    public ChainCache(ChainFreshnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>Chains cached.</summary>
    public int Count => _chains.Count;

    /// <summary>The user's cached chain, fresh or not.</summary>
    public Chain? Find(string userId) => _chains.GetValueOrDefault(userId);

    /// <summary>True when the chain must be rewritten for a history at <paramref name="historyVersion"/> as of <paramref name="now"/>.</summary>
    public bool IsStale(Chain? chain, long historyVersion, DateTimeOffset now) =>
        chain is null
        || chain.DegradedRoles.Count > 0 // made while a role was failing: try again, the role may be back
        || historyVersion - chain.HistoryVersion >= _options.MaxNewEvents
        || now - chain.GeneratedAt >= _options.TimeToLive;

    /// <summary>Caches the user's newest chain.</summary>
    public void Put(Chain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        _chains[chain.UserId] = chain;
    }

    /// <summary>Forgets a user's chain (the user was evicted from state).</summary>
    public void Remove(string userId) => _chains.Remove(userId);
}
