using System.Diagnostics;
using System.Globalization;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Training.Bootstrap;
using TrackRec.Streaming.Training.Ctr;
using TrackRec.Streaming.Training.Reproducibility;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>
/// The evaluation behind `trackrec eval`: split the stream by time, train the embedded models on the train
/// part only (round 0), compute every impression's chain features as the worker would serve them, and train
/// the DIN backbone without and with those features under one seed and budget; then, per alternating round,
/// let the registered <see cref="IRoundTrainer"/> retrain G and V on the train part, recompute the features
/// with the new roles and measure again. Without a round trainer, rounds after 0 are reported as not run.
/// </summary>
public static class EvalRunner
{
    /// <summary>Status of a round that no trainer ran.</summary>
    public const string NotRun = "not run";

    /// <summary>Runs the evaluation on <paramref name="events"/> (event-time order).</summary>
    /// <param name="serveWith">
    /// Maps the store's embedded roles to the roles that serve the chain features (the LLM endpoint's, with the
    /// embedded encoder and explorer); null serves the embedded roles. The statistics and content baselines
    /// read the embedded round-0 models either way, so every row sees the same non-chain inputs.
    /// </param>
    public static async Task<EvalReport> RunAsync(IReadOnlyList<CatalogItem> items, IReadOnlyList<BehaviourEvent> events, EvalOptions options, IRoundTrainer? roundTrainer, TextWriter log, CancellationToken ct, Func<ChainRoles, ChainRoles>? serveWith = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var c = CultureInfo.InvariantCulture;
        var ctr = options.Ctr with { Seed = options.Seed };

        TorchDeterminism.Apply(options.Seed, options.TorchThreads);
        ClearModels(options.ModelDirectory);

        var split = EvalSplit.Build(items, events, options.TrainShare, options.Pipeline, options.Writer.HeldOutOutcomes);
        if (split.Train.Count == 0 || split.Test.Count == 0)
            throw new InvalidOperationException($"the split at {split.SplitTime:O} leaves {split.Train.Count} train and {split.Test.Count} test impressions; both must be non-empty");
        await log.WriteLineAsync(string.Create(c, $"split at {split.SplitTime:u}: {split.TrainEvents.Count:N0} train events, {split.Train.Count:N0} train / {split.Test.Count:N0} test impressions")).ConfigureAwait(false);

        // Round 0: the embedded models, trained on events before the split only.
        var store = new ModelStore(options.ModelDirectory);
        var bootstrap = EmbeddedBootstrap.Run(store, items, split.TrainEvents,
            new BootstrapOptions { Source = $"{options.Source} (eval train part, before {split.SplitTime:O})", Seed = options.Seed, MaxExamples = options.MaxBootstrapExamples, HeldOutOutcomes = options.Writer.HeldOutOutcomes, Encoder = options.Encoder },
            options.Pipeline);
        await log.WriteLineAsync(string.Create(c, $"round 0 models trained in {bootstrap.Elapsed.TotalSeconds:F1}s: {string.Join(", ", bootstrap.Cards.Select(card => card.Version))}")).ConfigureAwait(false);

        var featurizer = CtrFeaturizer.Fit(items, split.Train, options.HistoryLength);
        var shape = featurizer.Shape;
        var all = split.All;
        var trainCount = split.Train.Count;
        ChainRoles Serve(ChainRoles embedded) => serveWith?.Invoke(embedded) ?? embedded;
        var embeddedRoles = EmbeddedModelSet.Load(store);
        var roles = Serve(embeddedRoles);
        // B1 reads the statistics with the priors the round-0 validator was trained with; B2 adds the
        // round-0 encoder's item texts (the same encoder that embeds the chains in Full).
        var priors = store.ReadJson<CategoryPriors>(store.Current(EmbeddedModelFiles.Validator)!, EmbeddedModelFiles.Priors);
        var context = await FeatureContext.CreateAsync(priors, items, embeddedRoles.Encoder, ct).ConfigureAwait(false);

        var knownUser = featurizer.Build(all.Skip(trainCount).Select(l => new EvalImpression(l, null, null)).ToList(), null).Users.Select(u => u != 1).ToArray();
        var testLabels = split.Test.Select(l => l.Clicked).ToArray();
        var logOf = options.LogMetrics ? LogIndex(split.Test) : null;
        async Task<(EvalRound Row, CtrResult Result)> TrainRow(string name, int? round, IReadOnlyList<EvalImpression> impressions, ChainFeatureLayout layout)
        {
            var rows = featurizer.Build(impressions, layout, context);
            var result = CtrTrainer.Train(shape, rows.Select(Range(0, trainCount)), rows.Select(Range(trainCount, all.Count)), ctr);
            var row = RowOf(name, round, result, knownUser, testLabels, logOf) with { ChainFeatures = layout.AnyChainFeature, Features = Describe(layout) };
            await log.WriteLineAsync(string.Create(c, $"{name}: test AUC {result.TestAuc:F4}, log loss {result.TestLogLoss:F4} ({result.Elapsed.TotalSeconds:F1}s)")).ConfigureAwait(false);
            return (row, result);
        }

        // B0..B2 do not depend on the roles' chains: ids, categories, history; then statistics; then content.
        var noChains = all.Select(l => new EvalImpression(l, null, null)).ToList();
        var statistics = ChainFeatureLayout.None with { Statistics = true };
        var content = statistics with { Content = true, ContentWidth = context.ContentWidth };
        var (baseline, baselineResult) = await TrainRow("B0", null, noChains, ChainFeatureLayout.None).ConfigureAwait(false);
        var rows = new List<EvalRound> { (await TrainRow("B1", null, noChains, statistics).ConfigureAwait(false)).Row };
        if (context.ContentWidth > 0)
            rows.Add((await TrainRow("B2", null, noChains, content).ConfigureAwait(false)).Row);

        var rounds = new List<EvalRound>();
        EvalData? lastTrain = null; // the train part with the latest round's features, for the round trainer
        IReadOnlyList<int> layoutDims = [];
        var ablations = new List<EvalRound>();
        for (var round = 0; round <= options.Rounds; round++)
        {
            RoundResult? trained = null;
            double? roundSeconds = null;
            if (round > 0)
            {
                if (roundTrainer is null)
                {
                    rounds.Add(new EvalRound { Name = $"round {round}", Round = round, Status = NotRun, ChainFeatures = true });
                    continue;
                }
                var previous = rounds[^1];
                if (previous.Status != "ok")
                {
                    rounds.Add(new EvalRound { Name = $"round {round}", Round = round, Status = $"not run: round {round - 1} did not finish", ChainFeatures = true });
                    continue;
                }
                var roundClock = Stopwatch.StartNew();
                try
                {
                    trained = await roundTrainer.TrainRoundAsync(round, lastTrain!, store, ct).ConfigureAwait(false);
                    roles = Serve(trained.Roles ?? EmbeddedModelSet.Load(store));
                }
                catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    rounds.Add(new EvalRound { Name = $"round {round}", Round = round, Status = $"failed: {ex.Message}", ChainFeatures = true });
                    await log.WriteLineAsync($"round {round}: the round trainer failed: {ex.Message}").ConfigureAwait(false);
                    continue;
                }
                roundSeconds = roundClock.Elapsed.TotalSeconds;
            }

            var features = await ChainFeatureBuilder.ComputeAsync(all, roles, options.Writer, options.Pipeline.Chains, ct).ConfigureAwait(false);
            // Full = B2 + every chain feature.
            var full = ChainFeatureLayout.For(features.Impressions) with { Statistics = true, Content = true, ContentWidth = context.ContentWidth, Exploration = true, Relevance = true };
            layoutDims = full.Dims;
            var (row, _) = await TrainRow($"round {round}", round, features.Impressions, full).ConfigureAwait(false);
            var (validatorAuc, scored) = ValidatorAuc(features.Impressions.Skip(trainCount));
            // Best-of-n on later outcomes, scored by this round's validator (embedded roles only: an endpoint
            // would be asked n times per test impression).
            var (selection, selectionDifferences) = serveWith is null
                ? await SelectionMargin.ComputeAsync(features.Impressions.Skip(trainCount).ToList(), roles.Validator, options.Resamples, seed: 1, ct).ConfigureAwait(false)
                : (null, []);
            lastTrain = new EvalData(options.Source, items, split.TrainEvents, features.Impressions.Take(trainCount).ToList(), split.SplitTime, options.Seed) { Writer = options.Writer, RealignEncoder = options.RealignEncoder, MinLabels = options.Pipeline.Feedback.MinLabels };
            rounds.Add(row with
            {
                ValidatorAuc = validatorAuc,
                ValidatorScored = scored,
                MeanChosenRejectedMargin = Finite(trained?.MeanChosenRejectedMargin),
                Selection = selection,
                SelectionDifferences = selectionDifferences,
                Versions = roles.Versions,
                Generations = features.Generations,
                CacheHits = features.CacheHits,
                FeatureSeconds = Math.Round(features.Elapsed.TotalSeconds, 2),
                RoundTrainingSeconds = roundSeconds is null ? null : Math.Round(roundSeconds.Value, 2),
                // JSON has no NaN; 6 decimals, as libtorch's float32 sums may differ in the ninth digit from run to run
                // (measured on the S-DPO losses) while every figure derived from them repeats.
                RoundMetrics = trained?.Metrics?.Where(kv => double.IsFinite(kv.Value)).ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 6)),
            });
            await log.WriteLineAsync(string.Create(c,
                $"round {round}: {features.Generations:N0} generations, {features.CacheHits:N0} cache hits ({features.Elapsed.TotalSeconds:F1}s); validator AUC {validatorAuc:F4}; selected vs mean sample reward {selection?.SelectedReward:F4} vs {selection?.MeanSampleReward:F4}, margin {selection?.Margin:F4} [{selection?.IntervalLow:F4}, {selection?.IntervalHigh:F4}]")).ConfigureAwait(false);

            if (round == 0 && options.Ablations)
            {
                // Full without one chain feature at a time, on the same split, seed and budget.
                foreach (var (name, subset) in new (string, ChainFeatureLayout)[]
                {
                    ("Full - chain embedding", full with { ChainEmbedding = false }),
                    ("Full - prompt embedding", full with { PromptEmbedding = false }),
                    ("Full - validator score", full with { ValidatorScore = false }),
                    ("Full - exploration", full with { Exploration = false }),
                    ("Full - relevance", full with { Relevance = false }),
                })
                {
                    if (subset.Dims.SequenceEqual(full.Dims))
                        continue; // the feature is absent (no encoder): the row would repeat Full
                    ablations.Add((await TrainRow(name, null, features.Impressions, subset).ConfigureAwait(false)).Row);
                }
            }
        }

        var test = split.Test;
        return new EvalReport
        {
            Source = options.Source,
            SplitTime = split.SplitTime,
            TrainShare = options.TrainShare,
            TrainEvents = split.TrainEvents.Count,
            TrainImpressions = trainCount,
            TestImpressions = test.Count,
            TestClickRate = Math.Round(test.Count(l => l.Clicked) / (double)test.Count, 4),
            TestOutOfVocabularyUsers = knownUser.Count(k => !k),
            TestOutOfVocabularyItems = featurizer.Build(noChains.Skip(trainCount).ToList(), null).Items.Count(i => i == 1),
            Seed = options.Seed,
            Budget = new EvalBudget(ctr.Backbone.ToString().ToUpperInvariant(), options.HistoryLength, ctr.Epochs, ctr.BatchSize, ctr.LearningRate, ctr.ValidationShare, ctr.Patience, ctr.StandardiseChainFeatures,
                layoutDims),
            Chains = new EvalChainSettings(options.Encoder.ToString().ToLowerInvariant(), options.Writer.Samples, options.Writer.ReflectionRounds,
                options.Writer.HeldOutOutcomes, options.Writer.ExplorationCandidates, options.RealignEncoder, options.Writer.Reward.ToString().ToLowerInvariant(), options.Writer.EmbedPrompt, options.Pipeline.Feedback.MinLabels),
            Baseline = baseline,
            Baselines = rows,
            Rounds = rounds,
            Ablations = ablations,
            ElapsedS = Math.Round(clock.Elapsed.TotalSeconds, 1),
            TestLabels = testLabels,
            TestUsers = test.Select(l => l.Request.UserId).ToArray(),
        };
    }

    // Version names seed the embedded generator's sampling (StableSeed of user, history and version), so a
    // reused directory (generator-v5 instead of v1) gave other chains and other figures for the same seed.
    // Each run therefore starts from no models; only the roles' folders are removed.
    private static void ClearModels(string directory)
    {
        foreach (var role in EmbeddedModelFiles.Roles)
        {
            var dir = Path.Combine(directory, role);
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }

    // Rows of one impression log share a user and an instant (MIND shows a log's news at one time).
    private static int[] LogIndex(IReadOnlyList<Processing.LabelledImpression> test)
    {
        var logs = new Dictionary<(string, DateTimeOffset), int>();
        return test.Select(l => logs.TryGetValue((l.Request.UserId, l.Time), out var i) ? i : logs[(l.Request.UserId, l.Time)] = logs.Count).ToArray();
    }

    private static string Describe(ChainFeatureLayout layout)
    {
        var parts = new List<string>();
        if (layout.Statistics) parts.Add("statistics");
        if (layout.Content && layout.ContentWidth > 0) parts.Add("content");
        if (layout.ChainEmbedding && layout.EmbeddingWidth > 0) parts.Add("chain embedding");
        if (layout.HasPromptEmbedding) parts.Add("prompt embedding");
        if (layout.HasRelevance) parts.Add("relevance");
        if (layout.ValidatorScore) parts.Add("validator score");
        if (layout.Exploration) parts.Add("exploration");
        return parts.Count == 0 ? "ids, categories, history" : "+ " + string.Join(", ", parts);
    }

    private static int[] Range(int from, int to) => Enumerable.Range(from, to - from).ToArray();

    /// <summary>AUC of the validator's scores against the labels, over impressions that have a score.</summary>
    public static (double? Auc, int Scored) ValidatorAuc(IEnumerable<EvalImpression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        var scored = impressions.Where(i => i.ValidatorScore is { } s && !double.IsNaN(s)).ToList();
        return (Finite(Auc.Compute(scored.Select(i => i.ValidatorScore!.Value).ToList(), scored.Select(i => i.Labelled.Clicked).ToList())), scored.Count);
    }

    private static EvalRound RowOf(string name, int? round, CtrResult result, bool[] knownUser, bool[] labels, int[]? logOf) => new()
    {
        TestLogits = result.TestLogits,
        Log = logOf is null || result.TestLogits.Count != labels.Length ? null : LogMetrics.Compute(result.TestLogits, labels, logOf),
        AucKnownUsers = SubsetAuc(result.TestLogits, labels, knownUser, true),
        AucNewUsers = SubsetAuc(result.TestLogits, labels, knownUser, false),
        Name = name,
        Round = round,
        Status = "ok",
        ChainFeatures = result.ChainFeatures,
        Auc = Finite(result.TestAuc),
        LogLoss = Finite(result.TestLogLoss),
        ValidationAuc = Finite(result.ValidationAuc),
        ValidationLogLoss = Finite(result.ValidationLogLoss),
        BestEpoch = result.BestEpoch,
        EpochsRun = result.EpochsRun,
        BackboneSeconds = Math.Round(result.Elapsed.TotalSeconds, 2),
    };

    private static double? SubsetAuc(IReadOnlyList<double> logits, bool[] labels, bool[] known, bool wanted)
    {
        if (logits.Count != labels.Length)
            return null;
        var rows = Enumerable.Range(0, labels.Length).Where(i => known[i] == wanted).ToList();
        return Finite(Auc.Compute(rows.Select(i => logits[i]).ToList(), rows.Select(i => labels[i]).ToList()));
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 5) : null;
}
