using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Diagnostics;

namespace TrackRec.Streaming.Processing;

/// <summary>
/// Running totals of what the pipelines of one process did; read by the demo summary and by metrics.
/// Updated with interlocked operations because every partition's pipeline adds to the same totals.
/// The chain counts also move the trackrec.chain.generations instrument when metrics are given.
/// </summary>
public sealed class PipelineCounters(StreamMetrics? metrics = null)
{
    private long _impressions, _clicks, _comments, _generations, _chainsSampled, _refined, _rejections, _chainCacheHits, _degraded, _labelsClicked, _labelsNotClicked;
    private long _rewardPairs, _preferenceRecords, _validatorRecords, _feedbackLost, _failedGenerations, _shed, _freshFeatures, _staleFeatures, _noChainFeatures;
    private double _selectedRewardSum, _sampledRewardSum;
    private readonly Lock _rewardGate = new();

    /// <summary>Impressions processed.</summary>
    public long Impressions => Interlocked.Read(ref _impressions);
    /// <summary>Clicks processed.</summary>
    public long Clicks => Interlocked.Read(ref _clicks);
    /// <summary>Comments processed.</summary>
    public long Comments => Interlocked.Read(ref _comments);
    /// <summary>Generations run (each selects one chain out of the sampled ones).</summary>
    public long Generations => Interlocked.Read(ref _generations);
    /// <summary>Chains sampled by the generator, over all generations.</summary>
    public long ChainsGenerated => Interlocked.Read(ref _chainsSampled);
    /// <summary>Chains rewritten after reflection rejected them.</summary>
    public long ChainsRefined => Interlocked.Read(ref _refined);
    /// <summary>Reflection verdicts that rejected a chain.</summary>
    public long ReflectionRejections => Interlocked.Read(ref _rejections);
    /// <summary>Features served from a still-fresh cached chain.</summary>
    public long ChainCacheHits => Interlocked.Read(ref _chainCacheHits);
    /// <summary>Features served degraded because a model role failed or timed out.</summary>
    public long DegradedFeatures => Interlocked.Read(ref _degraded);
    /// <summary>Impressions labelled clicked.</summary>
    public long LabelsClicked => Interlocked.Read(ref _labelsClicked);
    /// <summary>Impressions labelled not clicked.</summary>
    public long LabelsNotClicked => Interlocked.Read(ref _labelsNotClicked);

    /// <summary>
    /// Impressions before this event time are left out of the validator AUC and the rewards: they may be
    /// the very data the models were trained on (the demo sets it to the end of its training range).
    /// </summary>
    public DateTimeOffset EvaluateFrom { get; set; } = DateTimeOffset.MinValue;

    /// <summary>The validator's scores of impressed items, against the labels that arrived later.</summary>
    public AucAccumulator Validator { get; } = new();

    /// <summary>Labelled outcomes that arrived after a selection and were scored with every sampled chain.</summary>
    public long RewardPairs { get { lock (_rewardGate) return _rewardPairs; } }

    /// <summary>Mean reward of the selected chain on outcomes after its selection; null before any.</summary>
    public double? MeanSelectedReward { get { lock (_rewardGate) return _rewardPairs == 0 ? null : _selectedRewardSum / _rewardPairs; } }

    /// <summary>Mean reward of all sampled chains on the same outcomes; null before any.</summary>
    public double? MeanSampledReward { get { lock (_rewardGate) return _rewardPairs == 0 ? null : _sampledRewardSum / _rewardPairs; } }

    /// <summary>Preference (chosen/rejected) records emitted.</summary>
    public long PreferenceRecords => Interlocked.Read(ref _preferenceRecords);
    /// <summary>Validator training records emitted.</summary>
    public long ValidatorRecords => Interlocked.Read(ref _validatorRecords);
    /// <summary>Labelled outcomes whose chains could not be scored (validator failed), so no training record came of them.</summary>
    public long FeedbackLost => Interlocked.Read(ref _feedbackLost);

    internal void CountFeedback(FeedbackStep step)
    {
        Interlocked.Increment(ref _validatorRecords);
        if (step.Preference is not null)
            Interlocked.Increment(ref _preferenceRecords);
    }

    internal void CountFeedbackLost() => Interlocked.Increment(ref _feedbackLost);

    internal void CountImpression() => Interlocked.Increment(ref _impressions);
    internal void CountClick() => Interlocked.Increment(ref _clicks);
    internal void CountComment() => Interlocked.Increment(ref _comments);
    /// <summary>Generations that failed outright (the user backs off; features serve the chain in hand, marked).</summary>
    public long FailedGenerations => Interlocked.Read(ref _failedGenerations);

    /// <summary>Generation requests refused because the slow lane's queue was full.</summary>
    public long GenerationsShed => Interlocked.Read(ref _shed);

    internal void CountFailedGeneration()
    {
        Interlocked.Increment(ref _failedGenerations);
        metrics?.Generations("failed");
    }

    internal void CountShed() => Interlocked.Increment(ref _shed);

    /// <summary>Features served with a chain written for their own impression.</summary>
    public long FreshFeatures => Interlocked.Read(ref _freshFeatures);

    /// <summary>Features served with a chain past its staleness limit while a new one was pending.</summary>
    public long StaleFeatures => Interlocked.Read(ref _staleFeatures);

    /// <summary>Features served with no chain yet (the user's first is pending).</summary>
    public long NoChainFeatures => Interlocked.Read(ref _noChainFeatures);

    /// <summary>Counts one served feature by where its chain came from (each feature exactly once).</summary>
    internal void CountServed(Features.ChainSource source)
    {
        switch (source)
        {
            case Features.ChainSource.Fresh:
                Interlocked.Increment(ref _freshFeatures);
                break;
            case Features.ChainSource.Cached:
                CountCacheHit();
                break;
            case Features.ChainSource.Stale:
                Interlocked.Increment(ref _staleFeatures);
                break;
            case Features.ChainSource.None:
                Interlocked.Increment(ref _noChainFeatures);
                break;
            default:
                CountDegraded();
                break;
        }
    }

    internal void CountCacheHit()
    {
        Interlocked.Increment(ref _chainCacheHits);
        metrics?.Generations("cached");
    }

    internal void CountDegraded()
    {
        Interlocked.Increment(ref _degraded);
        metrics?.Generations("degraded");
    }

    internal void CountGeneration(ChainGeneration generation)
    {
        Interlocked.Increment(ref _generations);
        Interlocked.Add(ref _chainsSampled, generation.Chain.Samples.Count);
        Interlocked.Add(ref _refined, generation.Refinements);
        Interlocked.Add(ref _rejections, generation.Rejections);
        metrics?.Generations("fresh");
        metrics?.Generations("refined", generation.Refinements);
    }

    internal void AddRewards(double selected, double meanSampled)
    {
        lock (_rewardGate)
        {
            _rewardPairs++;
            _selectedRewardSum += selected;
            _sampledRewardSum += meanSampled;
        }
    }

    internal void CountLabel(bool clicked)
    {
        if (clicked)
            Interlocked.Increment(ref _labelsClicked);
        else
            Interlocked.Increment(ref _labelsNotClicked);
    }
}
