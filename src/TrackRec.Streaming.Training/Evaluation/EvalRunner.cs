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
    public static async Task<EvalReport> RunAsync(IReadOnlyList<CatalogItem> items, IReadOnlyList<BehaviourEvent> events, EvalOptions options, IRoundTrainer? roundTrainer, TextWriter log, CancellationToken ct)
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
            new BootstrapOptions { Source = $"{options.Source} (eval train part, before {split.SplitTime:O})", Seed = options.Seed, MaxExamples = options.MaxBootstrapExamples, HeldOutOutcomes = options.Writer.HeldOutOutcomes },
            options.Pipeline);
        await log.WriteLineAsync(string.Create(c, $"round 0 models trained in {bootstrap.Elapsed.TotalSeconds:F1}s: {string.Join(", ", bootstrap.Cards.Select(card => card.Version))}")).ConfigureAwait(false);

        var featurizer = CtrFeaturizer.Fit(items, split.Train, options.HistoryLength);
        var shape = featurizer.Shape;
        var all = split.All;
        var trainCount = split.Train.Count;

        // The baseline does not depend on the roles: ids, categories and history only.
        var noChains = all.Select(l => new EvalImpression(l, null, null)).ToList();
        var baseRows = featurizer.Build(noChains, null);
        var baselineResult = CtrTrainer.Train(shape, baseRows.Select(Range(0, trainCount)), baseRows.Select(Range(trainCount, all.Count)), ctr);
        var knownUser = baseRows.Users.Skip(trainCount).Select(u => u != 1).ToArray();
        var testLabels = split.Test.Select(l => l.Clicked).ToArray();
        EvalRound Row(string name, int? round, CtrResult result) => RowOf(name, round, result, knownUser, testLabels);
        var baseline = Row("baseline", null, baselineResult) with { Status = "ok" };
        await log.WriteLineAsync(string.Create(c, $"baseline: test AUC {baselineResult.TestAuc:F4}, log loss {baselineResult.TestLogLoss:F4} ({baselineResult.Elapsed.TotalSeconds:F1}s)")).ConfigureAwait(false);

        var rounds = new List<EvalRound>();
        EvalData? lastTrain = null; // the train part with the latest round's features, for the round trainer
        IReadOnlyList<int> layoutDims = [];
        var ablations = new List<EvalAblation>();
        ChainRoles roles = EmbeddedModelSet.Load(store);
        for (var round = 0; round <= options.Rounds; round++)
        {
            RoundResult? trained = null;
            double? roundSeconds = null;
            if (round > 0)
            {
                if (roundTrainer is null)
                {
                    rounds.Add(new EvalRound { Name = round.ToString(c), Round = round, Status = NotRun, ChainFeatures = true });
                    continue;
                }
                var previous = rounds[^1];
                if (previous.Status != "ok")
                {
                    rounds.Add(new EvalRound { Name = round.ToString(c), Round = round, Status = $"not run: round {round - 1} did not finish", ChainFeatures = true });
                    continue;
                }
                var roundClock = Stopwatch.StartNew();
                try
                {
                    trained = await roundTrainer.TrainRoundAsync(round, lastTrain!, store, ct).ConfigureAwait(false);
                    roles = trained.Roles ?? EmbeddedModelSet.Load(store);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OutOfMemoryException)
                {
                    rounds.Add(new EvalRound { Name = round.ToString(c), Round = round, Status = $"failed: {ex.Message}", ChainFeatures = true });
                    await log.WriteLineAsync($"round {round}: the round trainer failed: {ex.Message}").ConfigureAwait(false);
                    continue;
                }
                roundSeconds = roundClock.Elapsed.TotalSeconds;
            }

            var features = await ChainFeatureBuilder.ComputeAsync(all, roles, options.Writer, options.Pipeline.Chains, ct).ConfigureAwait(false);
            var layout = ChainFeatureLayout.For(features.Impressions);
            layoutDims = layout.Dims;
            var rows = featurizer.Build(features.Impressions, layout);
            var trainRows = rows.Select(Range(0, trainCount));
            var testRows = rows.Select(Range(trainCount, all.Count));
            var result = CtrTrainer.Train(shape, trainRows, testRows, ctr);
            var (validatorAuc, scored) = ValidatorAuc(features.Impressions.Skip(trainCount));
            lastTrain = new EvalData(options.Source, items, split.TrainEvents, features.Impressions.Take(trainCount).ToList(), split.SplitTime, options.Seed);
            rounds.Add(Row(round.ToString(c), round, result) with
            {
                Status = "ok",
                ValidatorAuc = validatorAuc,
                ValidatorScored = scored,
                MeanChosenRejectedMargin = Finite(trained?.MeanChosenRejectedMargin),
                Versions = roles.Versions,
                Generations = features.Generations,
                CacheHits = features.CacheHits,
                FeatureSeconds = Math.Round(features.Elapsed.TotalSeconds, 2),
                RoundTrainingSeconds = roundSeconds is null ? null : Math.Round(roundSeconds.Value, 2),
                RoundMetrics = trained?.Metrics,
            });
            await log.WriteLineAsync(string.Create(c,
                $"round {round}: {features.Generations:N0} generations, {features.CacheHits:N0} cache hits ({features.Elapsed.TotalSeconds:F1}s); test AUC {result.TestAuc:F4}, log loss {result.TestLogLoss:F4}; validator AUC {validatorAuc:F4}")).ConfigureAwait(false);

            if (round == 0 && options.Ablations)
            {
                foreach (var (name, subset) in new (string, ChainFeatureLayout)[]
                {
                    ("validator_score", layout with { ChainEmbedding = false, PromptEmbedding = false }),
                    ("chain_embedding", layout with { PromptEmbedding = false, ValidatorScore = false }),
                    ("chain_and_prompt_embeddings", layout with { ValidatorScore = false }),
                })
                {
                    if (subset.Dims.Count == 0)
                        continue;
                    var subsetRows = featurizer.Build(features.Impressions, subset);
                    // Validation split only: the test rows are not looked at (an empty test set).
                    var r = CtrTrainer.Train(shape, subsetRows.Select(Range(0, trainCount)), subsetRows.Select([]), ctr);
                    ablations.Add(new EvalAblation(name, Finite(r.ValidationAuc), Finite(r.ValidationLogLoss), r.BestEpoch));
                }
                var full = ("all", Finite(result.ValidationAuc), Finite(result.ValidationLogLoss), result.BestEpoch);
                ablations.Add(new EvalAblation(full.Item1, full.Item2, full.Item3, full.BestEpoch));
                ablations.Add(new EvalAblation("none (baseline)", Finite(baselineResult.ValidationAuc), Finite(baselineResult.ValidationLogLoss), baselineResult.BestEpoch));
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
            TestOutOfVocabularyUsers = baseRows.Users.Skip(trainCount).Count(u => u == 1),
            TestOutOfVocabularyItems = baseRows.Items.Skip(trainCount).Count(i => i == 1),
            Seed = options.Seed,
            Budget = new EvalBudget("DIN", options.HistoryLength, ctr.Epochs, ctr.BatchSize, ctr.LearningRate, ctr.ValidationShare, ctr.Patience, ctr.StandardiseChainFeatures,
                layoutDims),
            Baseline = baseline,
            Rounds = rounds,
            Ablations = ablations,
            ElapsedS = Math.Round(clock.Elapsed.TotalSeconds, 1),
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

    private static int[] Range(int from, int to) => Enumerable.Range(from, to - from).ToArray();

    /// <summary>AUC of the validator's scores against the labels, over impressions that have a score.</summary>
    public static (double? Auc, int Scored) ValidatorAuc(IEnumerable<EvalImpression> impressions)
    {
        ArgumentNullException.ThrowIfNull(impressions);
        var scored = impressions.Where(i => i.ValidatorScore is { } s && !double.IsNaN(s)).ToList();
        return (Finite(Auc.Compute(scored.Select(i => i.ValidatorScore!.Value).ToList(), scored.Select(i => i.Labelled.Clicked).ToList())), scored.Count);
    }

    private static EvalRound RowOf(string name, int? round, CtrResult result, bool[] knownUser, bool[] labels) => new()
    {
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
