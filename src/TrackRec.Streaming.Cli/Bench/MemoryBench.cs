using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// Bytes per active user of a partition's state: a <see cref="UserStateStore"/> filled to the default history and
/// outcome lengths, and a <see cref="ChainCache"/> holding one real chain per user (a deep copy of chains the
/// embedded models wrote from the stream). Measured as the managed heap after a full, compacting collection,
/// step by step, so the breakdown shows what dominates.
/// </summary>
internal static class MemoryBench
{
    /// <summary>
    /// Fills <paramref name="users"/> users unless <paramref name="projectedBytesPerUser"/> says it would not fit
    /// in half of the memory the GC may use (then the figure is skipped with the reason, not estimated).
    /// </summary>
    public static MemoryFigures Run(int users, IReadOnlyList<Chain> templates, IReadOnlyList<string> itemIds, double? projectedBytesPerUser)
    {
        var options = new UserStateOptions { MaxUsersPerPartition = users };
        var budget = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
        if (projectedBytesPerUser is { } projected && projected * users > budget)
            return new MemoryFigures
            {
                Users = users,
                HistoryLength = options.HistoryLength,
                OutcomeLength = options.OutcomeLength,
                Skipped = $"projected {projected * users / (1 << 30):F1} GiB ({projected:F0} B/user measured at a smaller count) exceeds half of the {budget * 2 / (1L << 30):F1} GiB this process may use",
            };
        if (templates.Count == 0 || itemIds.Count == 0)
            throw new ArgumentException("memory bench needs at least one chain and one item");

        var before = Heap();
        var store = new UserStateStore(options);
        var chains = new ChainCache(new ChainFreshnessOptions());
        var ids = new string[users];
        for (var u = 0; u < users; u++)
            ids[u] = $"user-{u:D8}";
        foreach (var id in ids)
            store.GetOrCreate(id);
        var index = Heap();

        var time = DateTimeOffset.UnixEpoch;
        for (var u = 0; u < users; u++)
        {
            var history = store.Find(ids[u])!;
            for (var k = 0; k < options.HistoryLength; k++)
            {
                // A fresh item id string per event, as decoding a record makes one.
                var item = new string(itemIds[(u * 31 + k) % itemIds.Count].AsSpan());
                history.Absorb(k % 4 == 0 ? new Click($"c{u}-{k}", ids[u], item, time.AddSeconds(k)) : new Impression($"e{u}-{k}", ids[u], item, time.AddSeconds(k), $"i{u}-{k}"));
            }
        }
        var histories = Heap();

        for (var u = 0; u < users; u++)
        {
            var history = store.Find(ids[u])!;
            for (var k = 0; k < options.OutcomeLength; k++)
                history.Remember(new LabelledOutcome($"imp-{u:D8}-{k:D3}", new string(itemIds[(u + k) % itemIds.Count].AsSpan()), k % 5 == 0, time.AddSeconds(k)));
        }
        var outcomes = Heap();

        // The chain in three steps (each Put replaces the user's previous copy): the selected chain alone, then with
        // the n samples of its generation, then with the request it was written from (kept for the feedback loop).
        for (var u = 0; u < users; u++)
            chains.Put(ChainCloner.For(templates[u % templates.Count], ids[u], u) with { Samples = [], Request = null });
        var selected = Heap();
        for (var u = 0; u < users; u++)
            chains.Put(ChainCloner.For(templates[u % templates.Count], ids[u], u) with { Request = null });
        var samples = Heap();
        for (var u = 0; u < users; u++)
            chains.Put(ChainCloner.For(templates[u % templates.Count], ids[u], u));
        var all = Heap();

        GC.KeepAlive(store);
        GC.KeepAlive(chains);
        GC.KeepAlive(ids);
        double PerUser(long bytes) => Math.Round((double)bytes / users, 1);
        return new MemoryFigures
        {
            Users = users,
            HistoryLength = options.HistoryLength,
            OutcomeLength = options.OutcomeLength,
            BytesPerUser = PerUser(all - before),
            Breakdown = new Dictionary<string, double>
            {
                ["user_index"] = PerUser(index - before),
                ["history"] = PerUser(histories - index),
                ["outcomes"] = PerUser(outcomes - histories),
                ["chain_selected"] = PerUser(selected - outcomes),
                ["chain_samples"] = PerUser(samples - selected),
                ["chain_request"] = PerUser(all - samples),
            },
        };
    }

    private static long Heap()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
