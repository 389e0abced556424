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

    /// <summary>The backbone without chain features.</summary>
    public required EvalRound Baseline { get; init; }

    /// <summary>Round 0 (the bootstrap models) and each alternating round.</summary>
    public required IReadOnlyList<EvalRound> Rounds { get; init; }

    /// <summary>Round-0 backbone trained on subsets of the chain features: VALIDATION AUC and log loss only (diagnostics).</summary>
    public IReadOnlyList<EvalAblation> Ablations { get; init; } = [];

    /// <summary>Wall-clock seconds of the whole evaluation.</summary>
    public double ElapsedS { get; init; }
}

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
}

/// <summary>A round-0 backbone on a subset of the chain features, judged on the validation split only.</summary>
public sealed record EvalAblation(string Features, double? ValidationAuc, double? ValidationLogLoss, int BestEpoch);
