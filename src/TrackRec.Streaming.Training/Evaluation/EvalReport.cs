using System.Text.Json.Serialization;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Training.Evaluation;

/// <summary>What `trackrec eval` measured, written as eval.json (snake_case). Unmeasured values are null.</summary>
public sealed record EvalReport
{
    /// <summary>The input.</summary>
    public required string Source { get; init; }

    /// <summary>Train impressions are before this event time, test impressions at or after it.</summary>
    public DateTimeOffset SplitTime { get; init; }

    /// <summary>Share of the event-time range before the split.</summary>
    public double TrainShare { get; init; }

    /// <summary>Events the round-0 models were trained on (all before the split).</summary>
    public int TrainEvents { get; init; }

    /// <summary>Labelled impressions before the split (the backbone's training and validation rows).</summary>
    public int TrainImpressions { get; init; }

    /// <summary>Labelled impressions at or after the split (every reported AUC and log loss is on these).</summary>
    public int TestImpressions { get; init; }

    /// <summary>Click rate of the test impressions.</summary>
    public double TestClickRate { get; init; }

    /// <summary>Test impressions whose user id is out of the training vocabulary (users first seen after the split).</summary>
    public int TestOutOfVocabularyUsers { get; init; }

    /// <summary>Test impressions whose item id is out of the training vocabulary.</summary>
    public int TestOutOfVocabularyItems { get; init; }

    /// <summary>Seed of everything.</summary>
    public int Seed { get; init; }

    /// <summary>The backbone and its budget, identical for every row.</summary>
    public required EvalBudget Budget { get; init; }

    /// <summary>How the chain features were made: the same for every round.</summary>
    public EvalChainSettings? Chains { get; init; }

    /// <summary>The backbone without chain features (B0: ids, categories, history).</summary>
    public required EvalRound Baseline { get; init; }

    /// <summary>B1 (B0 + the validator's statistics) and B2 (B1 + content), on the same split, seed and budget.</summary>
    public IReadOnlyList<EvalRound> Baselines { get; init; } = [];

    /// <summary>Round 0 (the bootstrap models) and each alternating round.</summary>
    public required IReadOnlyList<EvalRound> Rounds { get; init; }

    /// <summary>Round 0's Full without one chain feature at a time, measured like every row.</summary>
    public IReadOnlyList<EvalRound> Ablations { get; init; } = [];

    /// <summary>Wall-clock seconds of the whole evaluation.</summary>
    public double ElapsedS { get; init; }

    /// <summary>The test rows' labels, in row order (not written).</summary>
    [JsonIgnore]
    public IReadOnlyList<bool> TestLabels { get; init; } = [];

    /// <summary>The test rows' users, in row order (not written).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> TestUsers { get; init; } = [];

    /// <summary>Every trained row: B0, B1, B2, the rounds, the ablations.</summary>
    [JsonIgnore]
    public IEnumerable<EvalRound> AllRows => new[] { Baseline }.Concat(Baselines).Concat(Rounds).Concat(Ablations);
}

/// <summary>
/// The generation settings and encoder behind a run's chain features, written beside the budget so that
/// an eval.json says what produced it (two runs with other settings must not look alike).
/// </summary>
public sealed record EvalChainSettings(string Encoder, int Samples, int ReflectionRounds, int HeldOutOutcomes, int ExplorationCandidates, bool RealignEncoder, string Reward, bool EmbedPrompt, int MinLabels);

/// <summary>The backbone's fixed budget.</summary>
public sealed record EvalBudget(string Backbone, int HistoryLength, int Epochs, int BatchSize, double LearningRate, double ValidationShare, int Patience, bool StandardiseChainFeatures, IReadOnlyList<int> ChainFeatureDims);

/// <summary>One row of the table: the backbone's test numbers, and the round's validator and DPO numbers.</summary>
public sealed record EvalRound
{
    /// <summary>"baseline", or the round number as text ("0", "1"...).</summary>
    public required string Name { get; init; }

    /// <summary>The round (null for the baseline).</summary>
    public int? Round { get; init; }

    /// <summary>"ok", or "not run" (no round trainer registered), or "failed: ...".</summary>
    public required string Status { get; init; }

    /// <summary>Whether the backbone read chain features.</summary>
    public bool ChainFeatures { get; init; }

    /// <summary>Backbone AUC on the test impressions.</summary>
    public double? Auc { get; init; }

    /// <summary>Backbone AUC on the test impressions of users seen in training (the rest share the out-of-vocabulary user id).</summary>
    public double? AucKnownUsers { get; init; }

    /// <summary>Backbone AUC on the test impressions of users first seen after the split.</summary>
    public double? AucNewUsers { get; init; }

    /// <summary>Backbone log loss on the test impressions.</summary>
    public double? LogLoss { get; init; }

    /// <summary>Backbone AUC on its validation split (newest train rows).</summary>
    public double? ValidationAuc { get; init; }

    /// <summary>Backbone log loss on its validation split.</summary>
    public double? ValidationLogLoss { get; init; }

    /// <summary>Epoch whose weights were kept, and epochs run.</summary>
    public int? BestEpoch { get; init; }

    /// <summary>Epochs run.</summary>
    public int? EpochsRun { get; init; }

    /// <summary>AUC of the validator's score (with the served chain) on the test impressions.</summary>
    public double? ValidatorAuc { get; init; }

    /// <summary>Test impressions the validator scored (those with a chain).</summary>
    public int? ValidatorScored { get; init; }

    /// <summary>Mean chosen/rejected margin of the round's G update, as the round trainer reports it (none for round 0).</summary>
    public double? MeanChosenRejectedMargin { get; init; }

    /// <summary>Model versions that made the chain features.</summary>
    public ModelVersions? Versions { get; init; }

    /// <summary>Chains written for all impressions (stale or missing chains).</summary>
    public int? Generations { get; init; }

    /// <summary>Impressions served a cached chain.</summary>
    public int? CacheHits { get; init; }

    /// <summary>Seconds spent computing the chain features.</summary>
    public double? FeatureSeconds { get; init; }

    /// <summary>Seconds spent training this row's backbone.</summary>
    public double? BackboneSeconds { get; init; }

    /// <summary>Seconds the round trainer took (rounds 1..).</summary>
    public double? RoundTrainingSeconds { get; init; }

    /// <summary>The round trainer's own numbers.</summary>
    public IReadOnlyDictionary<string, double>? RoundMetrics { get; init; }

    /// <summary>The dense features beside ids, categories and history.</summary>
    public string? Features { get; init; }

    /// <summary>MIND's per-log metrics on the test logs (only when the input has impression logs).</summary>
    public LogMetrics? Log { get; init; }

    /// <summary>The backbone's test logits, for intervals over seeds (not written).</summary>
    [JsonIgnore]
    public IReadOnlyList<double> TestLogits { get; init; } = [];

    /// <summary>Best-of-n on later outcomes: the selected sample's reward against the mean sample's (rounds only).</summary>
    public SelectionMargin? Selection { get; init; }

    /// <summary>Per test row, selected minus mean sample reward (NaN without a chain), for pooling over seeds (not written).</summary>
    [JsonIgnore]
    public IReadOnlyList<double> SelectionDifferences { get; init; } = [];
}
