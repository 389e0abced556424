namespace TrackRec.Streaming.Training.Reproducibility;

/// <summary>
/// Spreads per-user work over the cores without giving up reproducibility: users are independent (one user's
/// records stay in time order in one lane, like one partition), a user's lane depends only on the user id, and
/// results are put back together lane by lane, never in the order threads finish.
/// </summary>
public static class UserLanes
{
    /// <summary>Lanes per core: more lanes than cores, so one heavy user does not leave a core idle.</summary>
    public const int LanesPerCore = 8;

    /// <summary>The lane of <paramref name="userId"/> among <paramref name="lanes"/> (a string hash that does not change between processes).</summary>
    public static int Of(string userId, int lanes)
    {
        ArgumentNullException.ThrowIfNull(userId);
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        var hash = 17;
        foreach (var c in userId)
            hash = unchecked(hash * 31 + c);
        return (int)((uint)hash % (uint)lanes);
    }

    /// <summary>
    /// The (item, index) pairs of <paramref name="items"/> grouped by their user's lane, in lane order, each lane
    /// in the items' own order; lanes without items are left out.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<(T Item, int Index)>> Split<T>(IReadOnlyList<T> items, Func<T, string> userOf, int lanes)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(userOf);
        var byLane = new List<(T, int)>[lanes];
        for (var i = 0; i < items.Count; i++)
            (byLane[Of(userOf(items[i]), lanes)] ??= []).Add((items[i], i));
        return byLane.Where(l => l is not null).ToList();
    }
}
