using System.Collections.Frozen;
using System.Diagnostics.Metrics;

namespace TrackRec.Streaming.Diagnostics;

/// <summary>
/// Every instrument of the worker, on one Meter named <see cref="MeterName"/>, so exporters (OTLP,
/// Prometheus) and tests subscribe to one name. Only the counter classes and the chain writer record
/// here, at the points where they already count, so there is one place that counts each thing.
/// The Meter comes from the host's <see cref="IMeterFactory"/>: one per service provider, which keeps
/// parallel test hosts apart.
/// </summary>
public sealed class StreamMetrics
{
    /// <summary>The Meter name to subscribe to.</summary>
    public const string MeterName = "TrackRec.Streaming";

    private readonly Counter<long> _trainingRecords;
    private readonly Counter<long> _trainingBatches;
    private readonly Counter<long> _eventsConsumed;
    private readonly Counter<long> _featuresEmitted;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _generations;
    private readonly Counter<long> _modelRequests;
    private readonly Counter<long> _modelErrors;
    private readonly Histogram<double> _modelLatency;
    private readonly Histogram<double> _featureLatency;

    // Latest lag per reporting consumer, replaced whole by the statistics callback and read by the gauge.
    private volatile FrozenDictionary<string, IReadOnlyList<PartitionLag>> _lag = FrozenDictionary<string, IReadOnlyList<PartitionLag>>.Empty;
    private readonly Lock _lagGate = new();

    /// <summary>Creates the instruments on a Meter from <paramref name="meterFactory"/>.</summary>
    public StreamMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(new MeterOptions(MeterName));
        _eventsConsumed = Meter.CreateCounter<long>("trackrec.events.consumed", "{event}", "Behaviour records consumed (including ones sent to dead letters), by topic.");
        _featuresEmitted = Meter.CreateCounter<long>("trackrec.features.emitted", "{feature}", "Feature records acknowledged by the broker.");
        _deadLetters = Meter.CreateCounter<long>("trackrec.dead_letters", "{record}", "Dead letters acknowledged, by error class.");
        _generations = Meter.CreateCounter<long>("trackrec.chain.generations", "{chain}", "Chains by kind: fresh (generated), cached (reused), refined (rewritten after reflection), degraded (a role failed).");
        _modelRequests = Meter.CreateCounter<long>("trackrec.model.requests", "{request}", "Requests sent to a remote model endpoint (each retry counts).");
        _modelErrors = Meter.CreateCounter<long>("trackrec.model.errors", "{request}", "Remote model requests that failed or answered unusably, by error type.");
        _modelLatency = Meter.CreateHistogram<double>("trackrec.model.latency", "ms", "Duration of one model role call, by role.");
        _featureLatency = Meter.CreateHistogram<double>("trackrec.feature.latency", "ms", "Consume of an impression to the acknowledgement of its feature, by chain source.");
        _trainingRecords = Meter.CreateCounter<long>("trackrec.training.records", "{record}", "Training records in durable batches, by kind: preference (DPO) or validator.");
        _trainingBatches = Meter.CreateCounter<long>("trackrec.training.batches", "{batch}", "Training batches whose manifest was acknowledged.");
        Meter.CreateObservableGauge("trackrec.consumer.lag", ObserveLag, "{record}", "Records between the consumer position and the end of the partition (librdkafka statistics).");
    }

    /// <summary>The Meter every instrument is on (tests compare it to tell their host's measurements apart).</summary>
    public Meter Meter { get; }

    /// <summary>One behaviour record consumed from <paramref name="topic"/>.</summary>
    public void EventConsumed(string topic) => _eventsConsumed.Add(1, new KeyValuePair<string, object?>("topic", topic));

    /// <summary>One feature acknowledged, served from a chain of <paramref name="chain"/> (fresh, cached, degraded), after <paramref name="latencyMs"/>.</summary>
    public void FeatureEmitted(string chain, double latencyMs)
    {
        _featuresEmitted.Add(1);
        _featureLatency.Record(latencyMs, new KeyValuePair<string, object?>("chain", chain));
    }

    /// <summary>Observes the slow lane: queue depth and age, model work in flight against its budget, the circuit, requests shed.</summary>
    public void TrackLanes(ILaneGauges lanes)
    {
        ArgumentNullException.ThrowIfNull(lanes);
        Meter.CreateObservableGauge("trackrec.generation.queue.depth", () => lanes.QueueDepth, "{request}", "Users with a generation pending in the slow lane.");
        Meter.CreateObservableGauge("trackrec.generation.queue.age", () => lanes.QueueAgeMs, "ms", "How long the oldest pending generation has waited.");
        Meter.CreateObservableGauge("trackrec.model.inflight", () => lanes.InFlight, "{request}", "Model requests in flight (LLM endpoint), or slow-lane jobs running (embedded).");
        Meter.CreateObservableGauge("trackrec.model.budget", () => lanes.Budget, "{request}", "The concurrency budget trackrec.model.inflight is held to.");
        Meter.CreateObservableGauge("trackrec.model.circuit.open", () => lanes.CircuitOpen ? 1 : 0, "{circuit}", "1 while the model endpoint's circuit breaker is open (no new generation starts), else 0.");
        Meter.CreateObservableCounter("trackrec.generation.shed", () => lanes.Shed, "{request}", "Generation requests refused because the slow lane's queue was full.");
    }

    /// <summary>
    /// Reports a replay job's progress: records read so far (<paramref name="read"/>, observed on collection)
    /// against the records its plan resolved at start, both tagged with the job id.
    /// </summary>
    public void TrackReplay(string jobId, Func<long> read, long planned)
    {
        ArgumentNullException.ThrowIfNull(read);
        var job = new KeyValuePair<string, object?>("job", jobId);
        Meter.CreateObservableGauge("trackrec.replay.records.read", () => new Measurement<long>(read(), job), "{record}", "Records a replay job has read so far (warm-up included).");
        Meter.CreateObservableGauge("trackrec.replay.records.planned", () => new Measurement<long>(planned, job), "{record}", "Records the replay job's plan resolved at start (warm-up included).");
    }

    /// <summary>A training batch's manifest was acknowledged, with its record counts.</summary>
    public void BatchWritten(int preferences, int validatorRecords)
    {
        _trainingBatches.Add(1);
        _trainingRecords.Add(preferences, new KeyValuePair<string, object?>("kind", "preference"));
        _trainingRecords.Add(validatorRecords, new KeyValuePair<string, object?>("kind", "validator"));
    }

    /// <summary>A dead letter of <paramref name="errorClass"/> was acknowledged.</summary>
    public void DeadLetter(string errorClass) => _deadLetters.Add(1, new KeyValuePair<string, object?>("error_class", errorClass));

    /// <summary><paramref name="count"/> chains of a <paramref name="kind"/>: fresh, cached, refined or degraded.</summary>
    public void Generations(string kind, long count = 1)
    {
        if (count > 0)
            _generations.Add(count, new KeyValuePair<string, object?>("kind", kind));
    }

    /// <summary>One call to a model role took <paramref name="milliseconds"/> (failed calls too).</summary>
    public void ModelCall(string role, double milliseconds) => _modelLatency.Record(milliseconds, new KeyValuePair<string, object?>("role", role));

    /// <summary>One request sent to a remote model.</summary>
    public void ModelRequest() => _modelRequests.Add(1);

    /// <summary>One remote model request that ended badly: "failure" (timeout, 5xx, open circuit) or "malformed".</summary>
    public void ModelError(string errorType) => _modelErrors.Add(1, new KeyValuePair<string, object?>("error_type", errorType));

    /// <summary>Replaces the lag last reported by <paramref name="consumer"/> (each consumer reports its own partitions).</summary>
    public void ReportLag(string consumer, IReadOnlyList<PartitionLag> lag)
    {
        lock (_lagGate)
        {
            var next = new Dictionary<string, IReadOnlyList<PartitionLag>>(_lag, StringComparer.Ordinal) { [consumer] = lag };
            _lag = next.ToFrozenDictionary(StringComparer.Ordinal);
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _lag.Values.SelectMany(l => l).Select(p => new Measurement<long>(
            p.Lag, new KeyValuePair<string, object?>("topic", p.Topic), new KeyValuePair<string, object?>("partition", p.Partition)));
}
