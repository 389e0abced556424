using System.Diagnostics;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Training.Bootstrap;
using TrackRec.Streaming.Training.Mlp;

namespace TrackRec.Streaming.Training.Dpo;

/// <summary>
/// The retraining job over the worker's batch files (what a scheduled job, or the worker itself, runs): every
/// verified batch's preference records update the generator by S-DPO against the current version, and its
/// validator records retrain the validator from scratch. A validator record needs its generation's request
/// (the history the chain was written from), which travels in the generation's preference record; records
/// of generations that never reached a preference record are counted and left out.
/// </summary>
public static class BatchTraining
{
    /// <summary>Trains on every batch in <paramref name="batches"/> and publishes a new generator (and validator, when there are enough examples).</summary>
    public static async Task<BatchTrainingReport> RunAsync(ModelStore store, IBatchStore batches, AlternatingOptions options, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var manifests = await new BatchReader(batches).ManifestsAsync(ct).ConfigureAwait(false);
        return await RunAsync(store, batches, manifests, options, log, ct).ConfigureAwait(false);
    }

    /// <summary>Trains on the batches of <paramref name="manifests"/> (a caller that already read and chose them, as the worker's retraining does).</summary>
    public static async Task<BatchTrainingReport> RunAsync(ModelStore store, IBatchStore batches, IReadOnlyList<BatchManifest> manifests, AlternatingOptions options, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var clock = Stopwatch.StartNew();
        var reader = new BatchReader(batches);
        var preferences = new List<PreferenceRecord>();
        var validatorRecords = new List<ValidatorRecord>();
        var used = new List<BatchManifest>();
        var damaged = 0;
        foreach (var manifest in manifests)
        {
            var problems = await reader.VerifyAsync(manifest, ct).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                damaged++;
                await log.WriteLineAsync($"skipping batch {manifest.BatchId}: {string.Join("; ", problems)}").ConfigureAwait(false);
                continue;
            }
            used.Add(manifest);
            preferences.AddRange(await reader.PreferencesAsync(manifest, ct).ConfigureAwait(false));
            validatorRecords.AddRange(await reader.ValidatorRecordsAsync(manifest, ct).ConfigureAwait(false));
        }
        if (preferences.Count == 0)
            throw new InvalidOperationException($"no preference records in {batches.Location} ({used.Count} batches, {damaged} damaged)");

        var reference = store.Current(EmbeddedModelFiles.Generator)
            ?? throw new InvalidOperationException($"the model directory {store.Root} has no generator to start from; run `trackrec train` on events first");
        var weights = store.ReadJson<MlpWeights>(reference, EmbeddedModelFiles.Policy);
        var priors = store.ReadJson<CategoryPriors>(reference, EmbeddedModelFiles.Priors);
        var settings = store.ReadJson<ClaimPolicySettings>(reference, EmbeddedModelFiles.PolicySettings);
        var policy = new ClaimPolicyGenerator(new Models.Embedded.Mlp(weights), priors, settings, reference.Version);
        var range = new TrainingDataRange(
            $"batches {batches.Location} ({used.Count})", used.Min(m => m.FirstEventTime), used.Max(m => m.LastEventTime),
            preferences.Count + validatorRecords.Count, preferences.Count);

        var dpo = PolicyDpoTrainer.Train(policy, weights, priors, preferences, options.Dpo);
        var generator = PolicyPublisher.Publish(store, dpo, options.Dpo, reference.Version, settings, priors, range,
            new Dictionary<string, string> { ["batches"] = string.Join(",", used.Select(m => m.BatchId)) });

        // V: the served chain, the item and the history the chain was written from, against the label.
        var requests = preferences.GroupBy(p => p.GenerationId).ToDictionary(g => g.Key, g => g.First().Request, StringComparer.Ordinal);
        var joined = validatorRecords.Where(v => requests.ContainsKey(v.GenerationId)).ToList();
        var x = joined.Select(v => ValidatorFeatures.Of(v.Chain.Claims, v.Item, CategoryEvidence.From(requests[v.GenerationId].History), priors)).ToArray();
        var y = joined.Select(v => v.Clicked ? 1f : 0f).ToArray();
        ModelCard? validator = null;
        if (joined.Count >= 100 && y.Any(l => l == 1) && y.Any(l => l == 0))
        {
            validator = EmbeddedBootstrap.TrainAndPublishValidator(store, x, y, priors, range with { Examples = joined.Count }, generator.Version, options.Seed);
        }
        else
        {
            await log.WriteLineAsync($"validator not retrained: {joined.Count} validator records have their generation's request (need 100, both labels)").ConfigureAwait(false);
        }
        return new BatchTrainingReport(used.Count, damaged, preferences.Count, validatorRecords.Count, joined.Count, dpo, generator, validator, clock.Elapsed);
    }
}

/// <summary>What a batch retraining did.</summary>
/// <param name="ValidatorExamples">Validator records whose generation's request was in the batches (the ones trained on).</param>
public sealed record BatchTrainingReport(
    int Batches,
    int DamagedBatches,
    int PreferenceRecords,
    int ValidatorRecords,
    int ValidatorExamples,
    PolicyDpoResult Dpo,
    ModelCard Generator,
    ModelCard? Validator,
    TimeSpan Elapsed);
