using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Models.Embedded;

/// <summary>
/// What is true of categories across all users of the training data: their click rates and which are
/// most popular. The policy and validator use the rates as a feature; the popular list is where the
/// generator's "popular prior" claims come from (the unsupported kind reflection must catch).
/// </summary>
public sealed record CategoryPriors
{
    /// <summary>Clicks / impressions per category over the training data.</summary>
    [JsonPropertyName("click_rate")] public IReadOnlyDictionary<string, double> ClickRate { get; init; } = new Dictionary<string, double>();

    /// <summary>Categories by impressions, most shown first.</summary>
    [JsonPropertyName("popular")] public IReadOnlyList<string> Popular { get; init; } = [];

    /// <summary>Click rate over everything, for categories never seen.</summary>
    [JsonPropertyName("overall_rate")] public double OverallRate { get; init; } = 0.5;

    /// <summary>The click rate of a category (the overall rate when unknown).</summary>
    public double RateOf(string category) => ClickRate.TryGetValue(category, out var r) ? r : OverallRate;
}
