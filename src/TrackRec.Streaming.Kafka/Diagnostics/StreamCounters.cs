namespace TrackRec.Streaming.Kafka.Diagnostics;

/// <summary>
/// What the Kafka side of a worker did: records in, acknowledged records out, dead letters, and the
/// consume-to-acknowledgement latency of features. Shared by every partition worker, hence interlocked.
/// </summary>
public sealed class StreamCounters
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

    internal void CountConsumed() => Interlocked.Increment(ref _consumed);
    internal void CountItem() => Interlocked.Increment(ref _items);
    internal void CountFeature() => Interlocked.Increment(ref _features);
    internal void CountChain() => Interlocked.Increment(ref _chains);
    internal void CountOutcome() => Interlocked.Increment(ref _outcomes);
    internal void CountDeadLetter() => Interlocked.Increment(ref _deadLetters);

    internal void CountBatch(int preferences, int validatorRecords)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _preferenceRecords, preferences);
        Interlocked.Add(ref _validatorRecords, validatorRecords);
    }
}
