using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.Producing;

namespace TrackRec.Streaming.Kafka.Partitions;

/// <summary>
/// The partition workers a consumer owns, by partition index: created on assignment, settled, flushed and disposed on
/// revocation or at the end. Used on the consume thread only, except <see cref="Owned"/>, a snapshot safe from any thread.
/// </summary>
internal sealed class PartitionWorkerSet(
    Func<int, long[]?, bool, PartitionGroupWorker> create, OutputPublisher publisher, KafkaOptions options, TimeProvider time, ILogger logger)
{
    private readonly Dictionary<int, PartitionGroupWorker> _workers = [];
    // Replaced (never mutated) on the consume thread, so other threads can read it safely.
    private volatile int[] _owned = [];

    /// <summary>Partition indexes owned now.</summary>
    public IReadOnlyCollection<int> Owned => _owned;

    public int Count => _workers.Count;

    public IEnumerable<int> Partitions => _workers.Keys;

    public IEnumerable<(int Partition, PartitionGroupWorker Worker)> All => _workers.Select(kv => (kv.Key, kv.Value));

    /// <summary>Every input of every owned partition is read to its end and processed (true when none is owned).</summary>
    public bool AllIdleAtEnd => _workers.Values.All(w => w.IsIdleAtEnd);

    public bool TryGet(int partition, out PartitionGroupWorker worker) => _workers.TryGetValue(partition, out worker!);

    /// <summary>Starts the worker of a partition; <paramref name="emitFrom"/> and <paramref name="liveWarmup"/> as in <see cref="PartitionOutputSink"/>.</summary>
    public PartitionGroupWorker Add(int partition, long[]? emitFrom, bool liveWarmup = false)
    {
        var worker = _workers[partition] = create(partition, emitFrom, liveWarmup);
        _owned = [.. _workers.Keys.Order()];
        return worker;
    }

    /// <summary>Throws when a partition failed, so the host stops and a supervisor restarts the process from the committed offsets.</summary>
    public void ThrowIfFailed()
    {
        foreach (var worker in _workers.Values)
        {
            if (worker.Completion.IsFaulted)
                throw new KafkaOutputException($"partition {worker.Partition} failed", worker.Completion.Exception!.GetBaseException());
        }
    }

    /// <summary>
    /// Stops the workers of <paramref name="partitions"/> after the record in hand (what they buffered is dropped) and
    /// returns them: their committable offsets are still read for the last commit.
    /// </summary>
    public List<(int Partition, PartitionGroupWorker Worker)> Remove(IEnumerable<int> partitions)
    {
        var stopped = new List<(int, PartitionGroupWorker)>();
        foreach (var partition in partitions)
        {
            if (_workers.Remove(partition, out var worker))
            {
                worker.DisposeAsync().AsTask().GetAwaiter().GetResult();
                stopped.Add((partition, worker));
            }
        }
        _owned = [.. _workers.Keys.Order()];
        return stopped;
    }

    /// <summary>
    /// Slow-lane work about to finish is taken in before the last commit, within TrackRec:Kafka:DrainTimeout; what does
    /// not finish in time stays uncommitted and is redone by the next owner (at least once, nothing lost). The producer
    /// is flushed while waiting, so outputs the settling partitions publish are acknowledged rather than held up.
    /// </summary>
    public void Settle(IEnumerable<int> partitions)
    {
        var settling = Task.WhenAll(partitions.Where(_workers.ContainsKey).Select(p => _workers[p].SettleAsync()));
        var deadline = TimestampAfter(options.DrainTimeout);
        while (Task.WaitAny([settling], TimeSpan.FromMilliseconds(100)) < 0)
        {
            if (time.GetElapsedTime(deadline) >= TimeSpan.Zero)
            {
                logger.LogWarning("Slow-lane work did not settle within TrackRec:Kafka:DrainTimeout; its records stay uncommitted");
                return;
            }
            publisher.Flush(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>A bounded run read everything: open impressions are labelled, the last batches written, every output acknowledged.</summary>
    public void Finish(CancellationToken cancellationToken)
    {
        logger.LogInformation("All inputs consumed to their end; labelling open impressions");
        Task.WaitAll([.. _workers.Values.Select(w => w.FlushAsync())], cancellationToken);
        var deadline = TimestampAfter(options.DrainTimeout);
        while (_workers.Values.Any(w => w.InFlight > 0))
        {
            if (time.GetElapsedTime(deadline) >= TimeSpan.Zero)
                throw new KafkaOutputException("outputs were not acknowledged within TrackRec:Kafka:DrainTimeout", null);
            publisher.Flush(TimeSpan.FromMilliseconds(100));
        }
    }

    private long TimestampAfter(TimeSpan span) => time.GetTimestamp() + (long)(span.TotalSeconds * time.TimestampFrequency);
}
