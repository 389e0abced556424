using System.Globalization;
using System.Text;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Chains;

/// <summary>
/// A PLACEHOLDER, not a model: writes a templated preference summary from category counts so the
/// streaming plumbing can run end to end before the trained generator exists. Its version string says
/// so, and so does every feature it serves.
/// </summary>
public sealed class PlaceholderChainGenerator : IChainGenerator
{
    /// <inheritdoc />
    public string Version => "placeholder-template-0";

    /// <inheritdoc />
    public Task<Chain> GenerateAsync(ChainRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shown = new Dictionary<string, int>(StringComparer.Ordinal);
        var engaged = new Dictionary<string, int>(StringComparer.Ordinal);
        string? lastComment = null;
        foreach (var view in request.History)
        {
            foreach (var category in view.Categories)
            {
                var counts = view.Signal == Signal.Impression ? shown : engaged;
                counts[category] = counts.GetValueOrDefault(category) + 1;
            }
            if (view.Signal == Signal.Comment && !string.IsNullOrWhiteSpace(view.Text))
                lastComment = view.Text;
        }

        var liked = engaged.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(3).Select(kv => kv.Key).ToList();
        var ignored = shown.Where(kv => !engaged.ContainsKey(kv.Key) && kv.Value >= 3)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(2).Select(kv => kv.Key).ToList();

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"[placeholder] Over {request.History.Count} recent interactions, ");
        text.Append(liked.Count > 0 ? $"the user engaged most with {string.Join(", ", liked)}" : "the user has not engaged with anything yet");
        if (ignored.Count > 0)
            text.Append(CultureInfo.InvariantCulture, $" and repeatedly passed over {string.Join(", ", ignored)}");
        text.Append('.');
        if (lastComment is not null)
            text.Append(" Their latest comment: ").Append(PromptText.Quote(lastComment, 120));

        var chain = new Chain(
            ChainIds.For(request.UserId, request.HistoryVersion, Version),
            request.UserId,
            text.ToString(),
            Version,
            request.AsOf,
            request.HistoryVersion,
            [],
            []);
        return Task.FromResult(chain);
    }
}
