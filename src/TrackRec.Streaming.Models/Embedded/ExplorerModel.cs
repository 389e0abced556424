using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// The exploration models as data. Novelty: which category users engage with next after each category
/// (transition counts). Alignment: collective feedback, the clicks and impressions of each category among
/// users who share a category history (their two main recent categories), with a minimum support below
/// which a rate is not trusted.
/// </summary>
public sealed record ExplorerModel
{
    /// <summary>Engagement transitions: from category, to category, count.</summary>
    [JsonPropertyName("transitions")] public Dictionary<string, Dictionary<string, long>> Transitions { get; init; } = [];

    /// <summary>Collective feedback: history key, candidate category, [clicks, impressions].</summary>
    [JsonPropertyName("feedback")] public Dictionary<string, Dictionary<string, long[]>> Feedback { get; init; } = [];

    /// <summary>Impressions a rate needs before it is trusted.</summary>
    [JsonPropertyName("min_support")] public long MinSupport { get; init; } = 20;

    /// <summary>Candidates sampled from the novelty model per user (inference-time scaling).</summary>
    [JsonPropertyName("samples")] public int Samples { get; init; } = 16;

    /// <summary>Novelty sampling temperature: high, to reach beyond the obvious next category.</summary>
    [JsonPropertyName("temperature")] public double Temperature { get; init; } = 1.5;

    /// <summary>Recent engagements that define the user's current categories.</summary>
    [JsonPropertyName("recent")] public int Recent { get; init; } = 10;

    /// <summary>The history key of a user: their two most engaged recent categories, sorted.</summary>
    public static string KeyOf(IEnumerable<string> recentEngagedCategories)
    {
        ArgumentNullException.ThrowIfNull(recentEngagedCategories);
        var top = recentEngagedCategories.GroupBy(c => c, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(2).Select(g => g.Key).Order(StringComparer.Ordinal);
        return string.Join("|", top);
    }
}
