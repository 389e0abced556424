using TrackRec.Streaming.Chains;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// What a user's history says about each category: how often items of it were shown, how often the user
/// engaged (click or comment), and how recently. Claims are proposed from it and checked against it, so
/// generator and critic read the same evidence.
/// </summary>
public sealed class CategoryEvidence
{
    private readonly Dictionary<string, Tally> _tallies = new(StringComparer.Ordinal);

    private CategoryEvidence(int length) => HistoryLength = length;

    /// <summary>Interactions read.</summary>
    public int HistoryLength { get; }

    /// <summary>Engagements (clicks and comments) over all categories.</summary>
    public int TotalEngaged { get; private set; }

    /// <summary>Impressions over all categories.</summary>
    public int TotalShown { get; private set; }

    /// <summary>Categories seen, in first-seen order (stable, so sampling is reproducible).</summary>
    public IReadOnlyList<string> Categories { get; private set; } = [];

    /// <summary>The comments of the history, newest last.</summary>
    public IReadOnlyList<HistoryItemView> Comments { get; private set; } = [];

    /// <summary>Reads the evidence from a history, oldest interaction first.</summary>
    public static CategoryEvidence From(IReadOnlyList<HistoryItemView> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var evidence = new CategoryEvidence(history.Count);
        var order = new List<string>();
        var comments = new List<HistoryItemView>();
        var recentFrom = history.Count - Math.Max(1, history.Count / 3);
        for (var i = 0; i < history.Count; i++)
        {
            var view = history[i];
            var engaged = view.Signal != Signal.Impression;
            if (view.Signal == Signal.Comment && !string.IsNullOrWhiteSpace(view.Text))
                comments.Add(view);
            if (engaged)
                evidence.TotalEngaged++;
            else
                evidence.TotalShown++;
            foreach (var category in view.Categories)
            {
                if (!evidence._tallies.TryGetValue(category, out var tally))
                {
                    evidence._tallies[category] = tally = new Tally();
                    order.Add(category);
                }
                var position = history.Count == 1 ? 1.0 : (double)i / (history.Count - 1);
                if (engaged)
                {
                    tally.Engaged++;
                    tally.LastEngaged = position;
                    if (i >= recentFrom)
                        tally.RecentEngaged++;
                    else
                        tally.EarlierEngaged++;
                }
                else
                {
                    tally.Shown++;
                    tally.LastShown = position;
                }
            }
        }
        evidence.Categories = order;
        evidence.Comments = comments;
        return evidence;
    }

    /// <summary>Impressions of items of the category.</summary>
    public int Shown(string category) => _tallies.GetValueOrDefault(category)?.Shown ?? 0;

    /// <summary>Clicks and comments on items of the category.</summary>
    public int Engaged(string category) => _tallies.GetValueOrDefault(category)?.Engaged ?? 0;

    /// <summary>Impressions of the category that drew no engagement.</summary>
    public int Skipped(string category) => Math.Max(0, Shown(category) - Engaged(category));

    /// <summary>Engagements in the newest third of the history.</summary>
    public int RecentEngaged(string category) => _tallies.GetValueOrDefault(category)?.RecentEngaged ?? 0;

    /// <summary>Engagements before the newest third of the history.</summary>
    public int EarlierEngaged(string category) => _tallies.GetValueOrDefault(category)?.EarlierEngaged ?? 0;

    /// <summary>Position (0 oldest .. 1 newest) of the newest evidence on the category; 0 when none.</summary>
    public double Recency(string category) =>
        _tallies.GetValueOrDefault(category) is { } t ? Math.Max(t.LastEngaged, t.LastShown) : 0;

    /// <summary>Smoothed engagement rate of the category: (engaged + 1) / (shown + 2).</summary>
    public double EngagementRate(string category) => (Engaged(category) + 1.0) / (Shown(category) + 2.0);

    /// <summary>The category's share of all the user's engagements.</summary>
    public double EngagedShare(string category) => TotalEngaged == 0 ? 0 : (double)Engaged(category) / TotalEngaged;

    private sealed class Tally
    {
        public int Shown, Engaged, RecentEngaged, EarlierEngaged;
        public double LastShown, LastEngaged;
    }
}
