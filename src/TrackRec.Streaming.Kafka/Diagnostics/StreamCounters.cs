using TrackRec.Streaming.Diagnostics;
using TrackRec.Streaming.Features;

namespace TrackRec.Streaming.Kafka.Diagnostics;

/// <summary>
/// What the Kafka side of a worker did: records in, acknowledged records out, dead letters, and the
/// consume-to-acknowledgement latency of features. Shared by every partition worker, hence interlocked.
/// With metrics given, the same calls move the matching instruments, so counting happens in one place.
/// </summary>
public sealed class StreamCounters(StreamMetrics? metrics = null)
{
    private long _consumed, _items, _features, _chains, _outcomes, _deadLetters, _batches, _preferenceRecords, _validatorRecords;

    /// <summary>Behaviour records consumed (including ones that went to dead letters).</summary>
    public long EventsConsumed => Interlocked.Read(ref _consumed);
    /// <summary>Catalog records applied.</summary>
    public long ItemsConsumed => Interlocked.Read(ref _items);
    /// <summary>Feature records acknowledged by the broker.</summary>
    public long FeaturesEmitted => Interlocked.Read(ref _features);
    /// <summary>Chain records acknowledged.</summary>
    public long ChainsEmitted => Interlocked.Read(ref _chains);
    /// <summary>Outcome records acknowledged.</summary>
    public long OutcomesEmitted => Interlocked.Read(ref _outcomes);
    /// <summary>Dead letters acknowledged.</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Training batches whose manifest was acknowledged.</summary>
    public long BatchesWritten => Interlocked.Read(ref _batches);
    /// <summary>Preference records in acknowledged batches.</summary>
    public long PreferenceRecordsWritten => Interlocked.Read(ref _preferenceRecords);
    /// <summary>Validator records in acknowledged batches.</summary>
    public long ValidatorRecordsWritten => Interlocked.Read(ref _validatorRecords);

    /// <summary>Milliseconds from consuming an impression to the acknowledgement of its feature.</summary>
    public LatencyRecorder FeatureLatency { get; } = new();

    /// <summary><see cref="FeatureLatency"/> of features whose chain was generated for them.</summary>
    public LatencyRecorder FreshFeatureLatency { get; } = new();

    /// <summary><see cref="FeatureLatency"/> of features served from a cached chain.</summary>
    public LatencyRecorder CachedFeatureLatency { get; } = new();

    /// <summary>Milliseconds a generation took (sample, reflect, refine, validate, explore, encode), per fresh chain.</summary>
    public LatencyRecorder GenerationLatency { get; } = new();

    internal void CountConsumed(string topic)
    {
        Interlocked.Increment(ref _consumed);
        metrics?.EventConsumed(topic);
    }

    internal void CountItem() => Interlocked.Increment(ref _items);
    internal void CountChain() => Interlocked.Increment(ref _chains);
    internal void CountOutcome() => Interlocked.Increment(ref _outcomes);

    internal void CountDeadLetter(string errorClass)
    {
        Interlocked.Increment(ref _deadLetters);
        metrics?.DeadLetter(errorClass);
    }

    /// <summary>A feature was acknowledged <paramref name="latencyMs"/> after its impression was consumed.</summary>
    internal void CountFeature(ChainSource source, double latencyMs, double generationLatencyMs)
    {
        Interlocked.Increment(ref _features);
        FeatureLatency.Record(latencyMs);
        if (source == ChainSource.Fresh)
        {
            FreshFeatureLatency.Record(latencyMs);
            GenerationLatency.Record(generationLatencyMs);
        }
        else if (source == ChainSource.Cached)
        {
            CachedFeatureLatency.Record(latencyMs);
        }
        metrics?.FeatureEmitted(ChainLabel(source), latencyMs);
    }

    /// <summary>The latest consumer lag from one consumer's librdkafka statistics.</summary>
    internal void ReportLag(string consumer, IReadOnlyList<PartitionLag> lag) => metrics?.ReportLag(consumer, lag);

    private static string ChainLabel(ChainSource source) => source switch
    {
        ChainSource.Fresh => "fresh",
        ChainSource.Cached => "cached",
        ChainSource.Stale => "stale",
        ChainSource.None => "none",
        _ => "degraded",
    };

    internal void CountBatch(int preferences, int validatorRecords)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _preferenceRecords, preferences);
        Interlocked.Add(ref _validatorRecords, validatorRecords);
        metrics?.BatchWritten(preferences, validatorRecords);
    }
}
