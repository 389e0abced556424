using Confluent.Kafka;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Offsets;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Processing;

namespace TrackRec.Streaming.Kafka.Partitions;

/// <summary>
/// The Kafka side of one partition's records: decoding them (an undecodable one becomes a dead letter), publishing
/// what the pipeline made of them, and the offset holds that keep each input record uncommitted until everything it
/// caused is acknowledged. A warm-up record (before <c>emitFrom</c>, per input) rebuilds state but writes nothing:
/// its features, chains, outcomes and dead letters are dropped here, so the domain stays unaware of offsets.
/// </summary>
internal sealed class PartitionOutputSink
{
    private readonly StreamSerdes _serdes;
    private readonly IRecordPublisher _publisher;
    private readonly DeadLetterPublisher _deadLetters;
    private readonly StreamCounters _counters;
    private readonly TimeProvider _time;
    private readonly PartitionOffsetTracker[] _trackers;
    private readonly long[]? _emitFrom;
    private readonly PartitionBatchLeg? _batches;
    // A live worker's warm-up (not a replay's) batches the training records it re-derives, so its batches are cut where
    // an uninterrupted run cut them; those batches are rewritten identically, their input records not held.
    private readonly bool _liveWarmup;

    /// <param name="partition">The partition index on every behaviour input.</param>
    /// <param name="serdes">Decodes inputs, encodes outputs.</param>
    /// <param name="publisher">Produces outputs and dead letters.</param>
    /// <param name="deadLetters">Parks undecodable and unprocessable records.</param>
    /// <param name="counters">Stream counters.</param>
    /// <param name="time">For the consume-to-acknowledge latency.</param>
    /// <param name="batches">Writes training batches; null when feedback is off.</param>
    /// <param name="emitFrom">The first offset per input whose outputs are written; null writes all.</param>
    /// <param name="liveWarmup">A live worker's state warm-up: its training records are batched again.</param>
    public PartitionOutputSink(
        int partition, StreamSerdes serdes, IRecordPublisher publisher, DeadLetterPublisher deadLetters, StreamCounters counters,
        TimeProvider time, Batches.FeedbackBatchPublisher? batches = null, long[]? emitFrom = null, bool liveWarmup = false)
    {
        _serdes = serdes;
        _publisher = publisher;
        _deadLetters = deadLetters;
        _counters = counters;
        _time = time;
        _emitFrom = emitFrom;
        _liveWarmup = liveWarmup;
        _trackers = [.. Enumerable.Range(0, StreamSerdes.BehaviourInputCount).Select(_ => new PartitionOffsetTracker())];
        // Only what was held is released: a warm-up record's training data was durable before it was committed.
        _batches = batches is null ? null : new PartitionBatchLeg(partition, serdes.Topics.BehaviourInputs, batches, origin =>
        {
            if (Emits(origin))
                _trackers[origin.Input].Release(origin.Offset);
        });
    }

    /// <summary>The offset to commit for an input, or -1 when none has finished.</summary>
    public long CommittableOffset(int input) => _trackers[input].CommittableOffset;

    /// <summary>Input records whose work is not yet durable.</summary>
    public int InFlight => _trackers.Sum(t => t.InFlight);

    /// <summary>Consume thread: a record of <paramref name="input"/> is taken in; it stays open until <see cref="Finish"/>.</summary>
    public void Begin(int input, long offset) => _trackers[input].Begin(offset);

    /// <summary>The record's processing is over; it is committable once the outputs it caused are acknowledged.</summary>
    public void Finish(RecordRef origin) => _trackers[origin.Input].Release(origin.Offset);

    /// <summary>Whether what a record causes is written (false for a warm-up record).</summary>
    public bool Emits(RecordRef origin) => _emitFrom is null || origin.Offset >= _emitFrom[origin.Input];

    /// <summary>Decodes a behaviour record; an undecodable one goes to the dead-letter topic, is finished, and null returns.</summary>
    public async Task<BehaviourEvent?> DecodeAsync(ConsumeResult<byte[]?, byte[]?> result, RecordRef origin, CancellationToken cancellationToken)
    {
        _batches?.ThrowIfFailed(); // a batch could not be made durable: stop, do not stall silently
        _counters.CountConsumed(result.Topic);
        try
        {
            return await _serdes.DecodeBehaviourAsync(origin.Input, result.Message.Value, cancellationToken).ConfigureAwait(false);
        }
        catch (RecordDecodeException ex)
        {
            await RejectAsync(result, origin, ex.ErrorClass, ex.Message, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Parks a record with its provenance (the error class says why) and finishes it once the dead letter is durable.</summary>
    public async Task RejectAsync(ConsumeResult<byte[]?, byte[]?> result, RecordRef origin, string errorClass, string message, CancellationToken cancellationToken)
    {
        var tracker = _trackers[origin.Input];
        if (Emits(origin))
        {
            tracker.Hold(origin.Offset);
            await _deadLetters.PublishAsync(result, errorClass, message, () =>
            {
                _counters.CountDeadLetter(errorClass);
                tracker.Release(origin.Offset);
            }, cancellationToken).ConfigureAwait(false);
        }
        tracker.Release(origin.Offset);
    }

    /// <summary>Publishes a pipeline result's outputs, each holding its input record until acknowledged; <paramref name="watermark"/> stamps the batches.</summary>
    public async Task EmitAsync(PipelineResult<RecordRef> outputs, DateTimeOffset watermark, CancellationToken cancellationToken)
    {
        Hold(outputs);
        foreach (var (feature, origin) in outputs.Features.Where(f => Emits(f.Origin)))
        {
            var bytes = await _serdes.Features.SerializeAsync(feature, cancellationToken).ConfigureAwait(false);
            Publish(_serdes.Topics.Features, feature.ImpressionId, bytes, origin, () =>
                _counters.CountFeature(feature.Source, _time.GetElapsedTime(origin.ConsumedAt).TotalMilliseconds, feature.GenerationLatencyMs));
        }
        foreach (var (chain, origin) in outputs.Chains.Where(c => Emits(c.Origin)))
        {
            var bytes = await _serdes.UserChains.SerializeAsync(chain, cancellationToken).ConfigureAwait(false);
            Publish(_serdes.Topics.UserChains, chain.UserId, bytes, origin, _counters.CountChain);
        }
        // A warm-up impression's label updated the user's history; nothing is written for it.
        foreach (var resolved in outputs.Outcomes.Where(o => Emits(o.ImpressionOrigin)))
        {
            var origin = resolved.ImpressionOrigin;
            var bytes = await _serdes.Outcomes.SerializeAsync(resolved.Outcome, cancellationToken).ConfigureAwait(false);
            Publish(_serdes.Topics.Outcomes, resolved.Outcome.ImpressionId, bytes, origin, () =>
            {
                _counters.CountOutcome();
                _trackers[origin.Input].Release(origin.Offset); // the outcome the impression owed
            });
        }
        // A replay's warm-up rebuilds state only: its training records were the live worker's to write.
        _batches?.Add(outputs, watermark, origin => _liveWarmup || Emits(origin), cancellationToken);
        foreach (var origin in outputs.Releases.Where(Emits))
            _trackers[origin.Input].Release(origin.Offset);
    }

    /// <summary>End of a bounded input: the open training batch is cut and every batch written.</summary>
    public Task FlushBatchesAsync(CancellationToken cancellationToken) => _batches?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

    // Taken before anything is published: records whose work went on in the slow lane (released by a later result), an
    // impression until its outcome is acknowledged, and each training record's input until its batch's manifest is.
    // Training records hold their impression before its outcome is produced: the outcome's acknowledgement could
    // otherwise finish the impression while its records still wait in a batch.
    private void Hold(PipelineResult<RecordRef> outputs)
    {
        foreach (var origin in outputs.Holds.Where(Emits))
            _trackers[origin.Input].Hold(origin.Offset);
        if (outputs.AwaitsOutcome && outputs.Features.Count > 0 && Emits(outputs.Features[0].Origin))
            _trackers[outputs.Features[0].Origin.Input].Hold(outputs.Features[0].Origin.Offset);
        if (_batches is null)
            return;
        foreach (var origin in outputs.Preferences.Select(p => p.Origin).Concat(outputs.ValidatorRecords.Select(v => v.Origin)).Where(Emits))
            _trackers[origin.Input].Hold(origin.Offset);
    }

    private void Publish(string topic, string key, byte[] bytes, RecordRef origin, Action acknowledged)
    {
        var tracker = _trackers[origin.Input];
        tracker.Hold(origin.Offset);
        _publisher.Publish(topic, key, bytes, null, () =>
        {
            acknowledged();
            tracker.Release(origin.Offset);
        });
    }
}
