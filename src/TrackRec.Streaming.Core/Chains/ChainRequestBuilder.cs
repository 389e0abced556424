using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Chains;

/// <summary>
/// Builds what the model roles see of a user: the newest labelled outcomes are held out (for scoring
/// chains), and every interaction with a held-out item is kept out of the history the generator reads,
/// so a chain is never rewarded for repeating what it was shown.
/// </summary>
public sealed class ChainRequestBuilder
{
    private readonly IItemCatalog _catalog;
    private readonly int _heldOut;

    /// <summary>Creates a builder holding out <paramref name="heldOutOutcomes"/> outcomes per request.</summary>
    public ChainRequestBuilder(IItemCatalog catalog, int heldOutOutcomes)
    {
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        ArgumentOutOfRangeException.ThrowIfNegative(heldOutOutcomes);
        _heldOut = heldOutOutcomes;
    }

    /// <summary>The request for the user's history as of <paramref name="asOf"/>.</summary>
    public ChainRequest Build(UserHistory history, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(history);
        var heldOut = history.Outcomes.Skip(Math.Max(0, history.Outcomes.Count - _heldOut))
            .Select(o => new HeldOutOutcome(o.ImpressionId, Describe(o.ItemId), o.Clicked, o.ImpressionTime))
            .ToList();
        var hidden = heldOut.Select(h => h.Item.ItemId).ToHashSet(StringComparer.Ordinal);
        var views = new List<HistoryItemView>(history.Entries.Count);
        foreach (var entry in history.Entries)
        {
            if (hidden.Contains(entry.ItemId))
                continue;
            var item = _catalog.Find(entry.ItemId);
            views.Add(new HistoryItemView(entry.ItemId, item?.Title, item?.Categories ?? [], entry.Signal, entry.Time, entry.Text));
        }
        return new ChainRequest(history.UserId, views, heldOut, history.Version, asOf);
    }

    /// <summary>An item as the validator reads it.</summary>
    public CandidateItem Describe(string itemId)
    {
        var item = _catalog.Find(itemId);
        return new CandidateItem(itemId, item?.Title, item?.Categories ?? []);
    }
}
