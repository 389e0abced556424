using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrackRec.Streaming.Tests.Chaos;

/// <summary>What a chaos scenario did and what its audit found; written to chaos.json and printed as a table.</summary>
internal sealed record ChaosReport(
    [property: JsonPropertyName("scenario")] string Scenario,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("faults_injected")] int FaultsInjected,
    [property: JsonPropertyName("faults")] IReadOnlyList<string> Faults,
    [property: JsonPropertyName("impressions")] int Impressions,
    [property: JsonPropertyName("features_lost")] int FeaturesLost,
    [property: JsonPropertyName("features_duplicated_by_key")] int FeaturesDuplicated,
    [property: JsonPropertyName("features_foreign")] int FeaturesForeign,
    [property: JsonPropertyName("outcomes_lost")] int OutcomesLost,
    [property: JsonPropertyName("outcomes_duplicated_by_key")] int OutcomesDuplicated,
    [property: JsonPropertyName("batches_expected")] int BatchesExpected,
    [property: JsonPropertyName("batches_missing")] int BatchesMissing,
    [property: JsonPropertyName("batches_mismatched")] int BatchesMismatched,
    [property: JsonPropertyName("batches_extra")] int BatchesExtra,
    [property: JsonPropertyName("elapsed_s")] double ElapsedSeconds)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Lost and mismatched outputs are what the worker promises never to have; duplicates by key are allowed (at least once).</summary>
    public bool Clean => FeaturesLost == 0 && FeaturesForeign == 0 && OutcomesLost == 0 && BatchesMissing == 0 && BatchesMismatched == 0 && BatchesExtra == 0;

    /// <summary>Writes chaos.json (appending this scenario to what is there) under TRACKREC_CHAOS_OUT, or <paramref name="fallback"/>.</summary>
    public string Write(string fallback)
    {
        var dir = Environment.GetEnvironmentVariable("TRACKREC_CHAOS_OUT") is { Length: > 0 } set ? set : fallback;
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "chaos.json");
        var all = File.Exists(path) ? JsonSerializer.Deserialize<List<ChaosReport>>(File.ReadAllText(path)) ?? [] : [];
        all.RemoveAll(r => r.Scenario == Scenario);
        all.Add(this);
        File.WriteAllText(path, JsonSerializer.Serialize(all, Json));
        return path;
    }

    public override string ToString() =>
        $"{Scenario,-14} seed {Seed}: {FaultsInjected} faults; impressions {Impressions}; features lost {FeaturesLost}, dup-by-key {FeaturesDuplicated}, foreign {FeaturesForeign}; " +
        $"outcomes lost {OutcomesLost}, dup-by-key {OutcomesDuplicated}; batches {BatchesExpected} expected, missing {BatchesMissing}, mismatched {BatchesMismatched}, extra {BatchesExtra}; {ElapsedSeconds:F0}s";

    /// <summary>Audits a run's outputs against the impressions of its stream and an uninterrupted run's batches.</summary>
    public static ChaosReport Audit(string scenario, int seed, IReadOnlyList<string> faults, IReadOnlySet<string> impressionIds,
        IReadOnlyList<string> featureKeys, IReadOnlyList<string> outcomeKeys, IReadOnlyDictionary<string, string[]> expected, IReadOnlyDictionary<string, string[]> actual, TimeSpan elapsed)
    {
        var features = featureKeys.ToHashSet(StringComparer.Ordinal);
        var outcomes = outcomeKeys.ToHashSet(StringComparer.Ordinal);
        return new ChaosReport(
            scenario, seed, faults.Count, faults, impressionIds.Count,
            impressionIds.Count(id => !features.Contains(id)), featureKeys.Count - features.Count, features.Count(k => !impressionIds.Contains(k)),
            impressionIds.Count(id => !outcomes.Contains(id)), outcomeKeys.Count - outcomes.Count,
            expected.Count,
            expected.Keys.Count(id => !actual.ContainsKey(id)),
            expected.Count(e => actual.TryGetValue(e.Key, out var files) && !files.SequenceEqual(e.Value)),
            actual.Keys.Count(id => !expected.ContainsKey(id)),
            Math.Round(elapsed.TotalSeconds, 1));
    }
}
