using System.Diagnostics;
using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Training.Encoder;
using TrackRec.Streaming.Training.Mlp;

namespace TrackRec.Streaming.Training.Bootstrap;

/// <summary>
/// Trains the embedded default from a bounded stream and publishes it to the model directory, in the
/// order the roles depend on each other: category priors and the exploration models (counts), the claim
/// policy (which claims agree with what the user did next), the validator (on chains the new policy
/// samples, against real labels), and the encoder (chain text against the text of items then engaged).
/// Every example is built by <see cref="OfflineLabelling"/>, so training sees what the worker will see.
/// </summary>
public static class EmbeddedBootstrap
{
    /// <summary>Trains and publishes all four roles; returns their cards.</summary>
    public static BootstrapReport Run(ModelStore store, IReadOnlyList<CatalogItem> items, IReadOnlyList<BehaviourEvent> events, BootstrapOptions options, PipelineOptions? pipeline = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        if (events.Count == 0)
            throw new InsufficientTrainingDataException("the training share holds no impressions, clicks or comments to train on");
        var clock = Stopwatch.StartNew();
        var catalog = new ItemCatalog();
        foreach (var item in items)
            catalog.Upsert(item);

        var labelled = OfflineLabelling.LabelledImpressions(events, catalog, pipeline ?? new PipelineOptions(), options.HeldOutOutcomes).ToList();
        if (labelled.Count == 0)
            throw new InsufficientTrainingDataException($"the {events.Count} events of the training share hold no impressions to learn from");
        var examples = labelled.Skip(Math.Max(0, labelled.Count - options.MaxExamples)).ToList();
        RequireBothLabels(examples);
        var range = new TrainingDataRange(options.Source, events[0].EventTime, events[^1].EventTime, events.Count, examples.Count);
        var cards = new List<ModelCard>();

        var priors = Priors(examples);
        cards.Add(PublishExplorer(store, events, catalog, examples, range));
        var (generator, generatorCard) = TrainPolicy(store, examples, priors, range, options.Seed);
        cards.Add(generatorCard);
        var (chains, validatorCard) = TrainValidator(store, examples, priors, generator, range, options.Seed);
        cards.Add(validatorCard);
        cards.Add(TrainEncoder(store, catalog, examples, chains, options.Encoder, options.Seed, range));
        return new BootstrapReport(cards, events.Count, examples.Count, clock.Elapsed);
    }

    /// <summary>
    /// Trains and publishes the encoder on (chain, item) pairs of the clicked examples: each example's chain
    /// (sampled by the generator being served) against the text of the item the user then clicked. The
    /// pretrained kind pairs with the item text the content features embed (title, categories, abstract or tags).
    /// </summary>
    public static ModelCard TrainEncoder(ModelStore store, IItemCatalog catalog, IReadOnlyList<LabelledImpression> examples, IReadOnlyList<ChainDraft> chains, EncoderKind kind, int seed, TrainingDataRange range)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(chains);
        ArgumentNullException.ThrowIfNull(range);
        var engaged = examples.Zip(chains).Where(p => p.First.Clicked && p.Second.Claims.Count > 0).ToList();
        if (kind == EncoderKind.Pretrained)
        {
            var pairs = engaged.Select(p => (p.Second.Text, catalog.Find(p.First.Item.ItemId) is { } item ? Evaluation.FeatureContext.ItemText(item) : ItemText(p.First.Item))).ToList();
            return EncoderTraining.TrainAdapterAndPublish(store, pairs, new AdapterTrainingOptions { Seed = seed }, range with { Examples = pairs.Count });
        }
        var scratchPairs = engaged.Select(p => (p.Second.Text, ItemText(p.First.Item))).ToList();
        return EncoderTraining.TrainAndPublish(store, scratchPairs, new EncoderTrainingOptions { Seed = seed }, range with { Examples = scratchPairs.Count });
    }

    /// <summary>The text of an item as the encoder pairs it with chains.</summary>
    public static string ItemText(CandidateItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return $"{item.Title ?? item.ItemId}. {string.Join(", ", item.Categories)}";
    }

    private static CategoryPriors Priors(List<LabelledImpression> examples)
    {
        var clicks = new Dictionary<string, long>(StringComparer.Ordinal);
        var shown = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in examples)
            foreach (var c in e.Item.Categories)
            {
                shown[c] = shown.GetValueOrDefault(c) + 1;
                if (e.Clicked)
                    clicks[c] = clicks.GetValueOrDefault(c) + 1;
            }
        return new CategoryPriors
        {
            // Smoothed towards the overall rate so a category seen twice does not claim 0 or 1.
            OverallRate = examples.Count(e => e.Clicked) / (double)examples.Count,
            ClickRate = shown.ToDictionary(kv => kv.Key, kv => (clicks.GetValueOrDefault(kv.Key) + 1.0) / (kv.Value + 2.0), StringComparer.Ordinal),
            Popular = shown.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(5).Select(kv => kv.Key).ToList(),
        };
    }

    // The policy learns which claims agree with the user's next labelled impression: a claim about one of
    // the item's categories is a positive when the history supports it and it points the right way (liking
    // for a click, aversion for a pass), so unsupported or wrong-way claims are pushed down.
    internal static (ClaimPolicyGenerator, ModelCard) TrainPolicy(ModelStore store, List<LabelledImpression> examples, CategoryPriors priors, TrainingDataRange range, int seed)
    {
        var settings = new ClaimPolicySettings();
        var extractor = new ClaimExtractor(priors, settings.MaxCandidates);
        var x = new List<float[]>();
        var y = new List<float>();
        foreach (var e in examples)
        {
            var evidence = CategoryEvidence.From(e.Request.History);
            foreach (var candidate in extractor.Extract(evidence))
            {
                var claim = candidate.Claim;
                if (claim.Kind == ClaimKind.CommentAspect || !e.Item.Categories.Contains(claim.Subject))
                    continue;
                var supported = ClaimRules.Judge(claim, evidence).Verdict == ClaimVerdict.Supported;
                var pointsRight = claim.Kind == ClaimKind.Aversion ? !e.Clicked : e.Clicked;
                x.Add(candidate.Features);
                y.Add(supported && pointsRight ? 1 : 0);
            }
        }
        if (x.Count == 0)
            throw new InsufficientTrainingDataException(
                $"the claim policy found no claim to learn from about the categories of the {examples.Count} shown items (the catalog gives them no categories)");
        var result = TrainRole("claim policy", () => BinaryMlpTrainer.Train([.. x], [.. y], new BinaryTrainingOptions { Seed = seed }));
        var card = store.Publish(
            new ModelCard
            {
                Name = EmbeddedModelFiles.Generator,
                Version = store.NextVersion(EmbeddedModelFiles.Generator),
                CreatedAt = DateTimeOffset.UtcNow,
                TrainingData = range with { Examples = x.Count },
                Metrics = Metrics(result),
            },
            dir =>
            {
                ModelStore.WriteJson(dir, EmbeddedModelFiles.Policy, result.Weights);
                ModelStore.WriteJson(dir, EmbeddedModelFiles.PolicySettings, settings);
                ModelStore.WriteJson(dir, EmbeddedModelFiles.Priors, priors);
            });
        return (new ClaimPolicyGenerator(new Models.Embedded.Mlp(result.Weights), priors, settings, card.Version), card);
    }

    /// <summary>
    /// Trains and publishes a validator: p(click | chain, item, user) learnt on chains <paramref name="generator"/>
    /// samples for each example, so it judges the kind of chains it will be asked about. It starts from scratch
    /// every time, as TrackRec restarts V from its base model each round.
    /// </summary>
    public static (List<ChainDraft> Chains, ModelCard Card) TrainValidator(ModelStore store, List<LabelledImpression> examples, CategoryPriors priors, ClaimPolicyGenerator generator, TrainingDataRange range, int seed)
    {
        var chains = new List<ChainDraft>(examples.Count);
        var x = new float[examples.Count][];
        var y = new float[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            var draft = generator.SampleAsync(e.Request, 1, CancellationToken.None).GetAwaiter().GetResult()[0];
            chains.Add(draft);
            x[i] = ValidatorFeatures.Of(draft.Claims, e.Item, CategoryEvidence.From(e.Request.History), priors);
            y[i] = e.Clicked ? 1 : 0;
        }
        return (chains, TrainAndPublishValidator(store, x, y, priors, range, generator.Version, seed));
    }

    /// <summary>
    /// Trains the validator network on (features, label) from scratch and publishes it; its parent is the generator whose
    /// chains it learnt on. With <paramref name="softTargets"/> the labels are a teacher validator's scores (distillation).
    /// </summary>
    public static ModelCard TrainAndPublishValidator(ModelStore store, float[][] x, float[] y, CategoryPriors priors, TrainingDataRange range, string generatorVersion, int seed, bool softTargets = false)
    {
        ArgumentNullException.ThrowIfNull(store);
        var result = TrainRole("validator", () => BinaryMlpTrainer.Train(x, y, new BinaryTrainingOptions { Seed = seed, SoftTargets = softTargets }));
        return store.Publish(
            new ModelCard
            {
                Name = EmbeddedModelFiles.Validator,
                Version = store.NextVersion(EmbeddedModelFiles.Validator),
                CreatedAt = DateTimeOffset.UtcNow,
                TrainingData = range,
                ParentVersion = generatorVersion,
                Metrics = Metrics(result),
            },
            dir =>
            {
                ModelStore.WriteJson(dir, EmbeddedModelFiles.ValidatorNetwork, result.Weights);
                ModelStore.WriteJson(dir, EmbeddedModelFiles.Priors, priors);
            });
    }

    private static ModelCard PublishExplorer(ModelStore store, IReadOnlyList<BehaviourEvent> events, IItemCatalog catalog, List<LabelledImpression> examples, TrainingDataRange range)
    {
        var model = new ExplorerModel();
        var previous = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var e in events.Where(e => e is not Impression))
        {
            var categories = catalog.Find(e.ItemId)?.Categories ?? [];
            if (previous.TryGetValue(e.UserId, out var before))
                foreach (var from in before)
                    foreach (var to in categories.Where(c => !before.Contains(c)))
                    {
                        var row = model.Transitions.TryGetValue(from, out var r) ? r : model.Transitions[from] = new Dictionary<string, long>(StringComparer.Ordinal);
                        row[to] = row.GetValueOrDefault(to) + 1;
                    }
            if (categories.Count > 0)
                previous[e.UserId] = categories;
        }
        foreach (var e in examples)
        {
            var recent = e.Request.History.Where(h => h.Signal != UserState.Signal.Impression).TakeLast(model.Recent).SelectMany(h => h.Categories);
            var key = ExplorerModel.KeyOf(recent);
            var row = model.Feedback.TryGetValue(key, out var r) ? r : model.Feedback[key] = new Dictionary<string, long[]>(StringComparer.Ordinal);
            foreach (var c in e.Item.Categories)
            {
                var cell = row.TryGetValue(c, out var v) ? v : row[c] = new long[2];
                cell[1]++;
                if (e.Clicked)
                    cell[0]++;
            }
        }
        return store.Publish(
            new ModelCard
            {
                Name = EmbeddedModelFiles.Explorer,
                Version = store.NextVersion(EmbeddedModelFiles.Explorer),
                CreatedAt = DateTimeOffset.UtcNow,
                TrainingData = range,
                Metrics = new Dictionary<string, double> { ["history_keys"] = model.Feedback.Count, ["transition_rows"] = model.Transitions.Count },
            },
            dir => ModelStore.WriteJson(dir, EmbeddedModelFiles.ExplorerData, model));
    }

    // Clicks and passes are both needed: the validator learns one from the other.
    private static void RequireBothLabels(List<LabelledImpression> examples)
    {
        var clicked = examples.Count(e => e.Clicked);
        if (clicked == 0)
            throw new InsufficientTrainingDataException($"none of the {examples.Count} labelled impressions of the training share was clicked; training needs clicked and unclicked impressions");
        if (clicked == examples.Count)
            throw new InsufficientTrainingDataException($"all {examples.Count} labelled impressions of the training share were clicked; training needs clicked and unclicked impressions");
    }

    // The trainer rejects data it cannot learn from (one class only, or one class in its training split)
    // with an ArgumentException; the person who chose the input gets that as a sentence naming the role.
    private static BinaryTrainingResult TrainRole(string role, Func<BinaryTrainingResult> train)
    {
        try
        {
            return train();
        }
        catch (ArgumentException ex)
        {
            var reason = ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
            throw new InsufficientTrainingDataException($"the {role} cannot be trained on this input: {reason}", ex);
        }
    }

    // An undefined metric (a validation split of one class has no AUC, as on MIND's sparse categories) is
    // left out: JSON has no NaN, and a card must still publish.
    internal static Dictionary<string, double> Metrics(BinaryTrainingResult result) => new Dictionary<string, double>
    {
        ["train_loss"] = result.TrainLoss,
        ["validation_auc"] = result.ValidationAuc,
        ["validation_logloss"] = result.ValidationLogLoss,
        ["examples"] = result.Examples,
    }.Where(kv => double.IsFinite(kv.Value)).ToDictionary();
}
