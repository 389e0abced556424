using System.Globalization;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// Best-of-n exploration: the novelty model samples candidate categories the user has not engaged with
/// recently (at a high temperature, from engagement transitions), and the aligned scorer keeps those that
/// users with a similar category history clicked most, among rates with enough support. The two stay
/// separate models: optimising novelty against the feedback directly collapses onto popular categories.
/// </summary>
public sealed class NoveltyExplorer : IInterestExplorer
{
    private readonly ExplorerModel _model;

    /// <summary>Creates the explorer.</summary>
    public NoveltyExplorer(ExplorerModel model, string version)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        Version = version;
    }

    /// <inheritdoc />
    public string Version { get; }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExplorationCandidate>> ProposeAsync(ChainRequest request, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var recent = request.History.Where(h => h.Signal != Signal.Impression).TakeLast(_model.Recent).SelectMany(h => h.Categories).ToList();
        if (recent.Count == 0 || count <= 0)
            return Task.FromResult<IReadOnlyList<ExplorationCandidate>>([]);
        var known = recent.ToHashSet(StringComparer.Ordinal);

        // Novelty: where users go next from the user's recent categories, recent ones excluded.
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var from in recent)
            if (_model.Transitions.TryGetValue(from, out var row))
                foreach (var (to, n) in row)
                    if (!known.Contains(to) && n > 0) // a zero count is no transition (and log 0 no logit)
                        weights[to] = weights.GetValueOrDefault(to) + n;
        if (weights.Count == 0)
            return Task.FromResult<IReadOnlyList<ExplorationCandidate>>([]);
        var names = weights.Keys.Order(StringComparer.Ordinal).ToArray();
        var logits = names.Select(n => Math.Log(weights[n])).ToArray();
        var random = new Random(StableSeed.Of(request.UserId, request.HistoryVersion.ToString(CultureInfo.InvariantCulture), Version, "explore"));
        var proposed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < _model.Samples; i++)
            proposed.Add(names[PlackettLuce.Sample(logits, 1, _model.Temperature, random)[0]]);

        // Alignment: collective click rate among users with the same history key, trusted above min support.
        var key = ExplorerModel.KeyOf(recent);
        var feedback = _model.Feedback.GetValueOrDefault(key);
        var scored = new List<ExplorationCandidate>();
        foreach (var category in proposed)
        {
            if (feedback?.GetValueOrDefault(category) is not [var clicks, var impressions] || impressions < _model.MinSupport)
                continue;
            scored.Add(new ExplorationCandidate(category, (double)clicks / impressions, impressions));
        }
        IReadOnlyList<ExplorationCandidate> best = scored
            .OrderByDescending(c => c.Score).ThenBy(c => c.Category, StringComparer.Ordinal)
            .Take(count).ToList();
        return Task.FromResult(best);
    }
}
