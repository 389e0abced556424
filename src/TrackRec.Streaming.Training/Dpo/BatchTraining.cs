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
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var read = await ReadAsync(batches, manifests, log, ct).ConfigureAwait(false);
        if (read.Preferences.Count == 0)
            throw new InvalidOperationException($"no preference records in {batches.Location} ({read.Used.Count} batches, {read.Damaged} damaged)");

        var reference = CurrentGenerator(store);
        var weights = store.ReadJson<MlpWeights>(reference, EmbeddedModelFiles.Policy);
        var priors = store.ReadJson<CategoryPriors>(reference, EmbeddedModelFiles.Priors);
        var settings = store.ReadJson<ClaimPolicySettings>(reference, EmbeddedModelFiles.PolicySettings);
        var policy = new ClaimPolicyGenerator(new Models.Embedded.Mlp(weights), priors, settings, reference.Version);
        var range = read.Range(batches);

        var dpo = PolicyDpoTrainer.Train(policy, weights, priors, read.Preferences, options.Dpo);
        var generator = PolicyPublisher.Publish(store, dpo, options.Dpo, reference.Version, settings, priors, range,
            new Dictionary<string, string> { ["batches"] = string.Join(",", read.Used.Select(m => m.BatchId)) });

        // V: the served chain, the item and the history the chain was written from, against the label.
        var (x, joined) = ValidatorExamples(read, priors);
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
        return new BatchTrainingReport(read.Used.Count, read.Damaged, read.Preferences.Count, read.Validators.Count, joined.Count, dpo, generator, validator, clock.Elapsed);
    }

    /// <summary>
    /// Distillation: fits the embedded validator (the fast lane's scorer) to the scores the serving validator gave in
    /// the batches' validator records, not to the clicks, and leaves the generator as it is. Collect the batches with
    /// the LLM validator rewarding feedback (TrackRec:Models:Roles:Scorer:Backend=Llm), then serve the distilled one as
    /// the embedded scorer: the LLM's judgement at an embedded model's cost on every impression.
    /// </summary>
    public static async Task<DistillationReport> DistilValidatorAsync(ModelStore store, IBatchStore batches, AlternatingOptions options, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        var manifests = await new BatchReader(batches).ManifestsAsync(ct).ConfigureAwait(false);
        var read = await ReadAsync(batches, manifests, log, ct).ConfigureAwait(false);
        var reference = CurrentGenerator(store);
        var priors = store.ReadJson<CategoryPriors>(reference, EmbeddedModelFiles.Priors);
        var (x, joined) = ValidatorExamples(read, priors);
        if (joined.Count < 100)
            throw new InvalidOperationException($"{joined.Count} validator records in {batches.Location} have their generation's request; distillation needs at least 100");
        var y = joined.Select(v => (float)Math.Clamp(v.Score, 0, 1)).ToArray();
        var validator = EmbeddedBootstrap.TrainAndPublishValidator(store, x, y, priors, read.Range(batches) with { Examples = joined.Count }, reference.Version, options.Seed, softTargets: true);
        var teachers = joined.Select(v => v.Versions.Validator).Distinct(StringComparer.Ordinal).ToList();
        return new DistillationReport(read.Used.Count, read.Damaged, read.Validators.Count, joined.Count, teachers, validator, clock.Elapsed);
    }

    private static ModelCard CurrentGenerator(ModelStore store) =>
        store.Current(EmbeddedModelFiles.Generator)
        ?? throw new InvalidOperationException($"the model directory {store.Root} has no generator to start from; run `trackrec train` on events first");

    // The validator's inputs for each record whose generation's request travelled in a preference record.
    private static (float[][] X, List<ValidatorRecord> Joined) ValidatorExamples(BatchRecords read, CategoryPriors priors)
    {
        var requests = read.Preferences.GroupBy(p => p.GenerationId).ToDictionary(g => g.Key, g => g.First().Request, StringComparer.Ordinal);
        var joined = read.Validators.Where(v => requests.ContainsKey(v.GenerationId)).ToList();
        var x = joined.Select(v => ValidatorFeatures.Of(v.Chain.Claims, v.Item, CategoryEvidence.From(requests[v.GenerationId].History), priors)).ToArray();
        return (x, joined);
    }

    private static async Task<BatchRecords> ReadAsync(IBatchStore batches, IReadOnlyList<BatchManifest> manifests, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(log);
        var reader = new BatchReader(batches);
        var read = new BatchRecords();
        foreach (var manifest in manifests)
        {
            var problems = await reader.VerifyAsync(manifest, ct).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                read.Damaged++;
                await log.WriteLineAsync($"skipping batch {manifest.BatchId}: {string.Join("; ", problems)}").ConfigureAwait(false);
                continue;
            }
            read.Used.Add(manifest);
            read.Preferences.AddRange(await reader.PreferencesAsync(manifest, ct).ConfigureAwait(false));
            read.Validators.AddRange(await reader.ValidatorRecordsAsync(manifest, ct).ConfigureAwait(false));
        }
        if (read.Used.Count == 0)
            throw new InvalidOperationException($"no usable batch in {batches.Location} ({read.Damaged} damaged)");
        return read;
    }

    private sealed class BatchRecords
    {
        public List<BatchManifest> Used { get; } = [];
        public List<PreferenceRecord> Preferences { get; } = [];
        public List<ValidatorRecord> Validators { get; } = [];
        public int Damaged { get; set; }

        public TrainingDataRange Range(IBatchStore batches) => new(
            $"batches {batches.Location} ({Used.Count})", Used.Min(m => m.FirstEventTime), Used.Max(m => m.LastEventTime),
            Preferences.Count + Validators.Count, Preferences.Count);
    }
}

/// <summary>What a distillation of the validator did.</summary>
/// <param name="Teachers">Versions of the validators whose scores were distilled.</param>
public sealed record DistillationReport(int Batches, int DamagedBatches, int ValidatorRecords, int Examples, IReadOnlyList<string> Teachers, ModelCard Validator, TimeSpan Elapsed);

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
