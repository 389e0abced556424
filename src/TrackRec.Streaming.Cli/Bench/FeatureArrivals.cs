using System.Collections.Concurrent;
using Confluent.Kafka;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Consuming;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// A downstream consumer of the features topic, separate from the worker as a ranking service would be: it
/// reads committed features, finds each one's segment and index from its key (the impression id) and hands it
/// to that segment's <see cref="PacedLatencyCollector"/>. Runs on its own thread until disposed.
/// </summary>
internal sealed class FeatureArrivals : IAsyncDisposable
{
    private readonly ConcurrentDictionary<int, PacedLatencyCollector> _segments = new();
    private readonly FeatureProbe _probe;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public FeatureArrivals(BenchCluster cluster)
    {
        _probe = new FeatureProbe(cluster.Registry.Client);
        var kafka = new KafkaOptions { BootstrapServers = cluster.BootstrapServers, GroupId = "bench-downstream" };
        var config = ConsumerSettings.Create(kafka, "bench-downstream", kafka.GroupId);
        // The measuring end must not add its own fetch wait (librdkafka's default is 500 ms) to what it measures.
        config.FetchWaitMaxMs = 5;
        var consumer = new ConsumerBuilder<string, byte[]>(config).Build();
        consumer.Subscribe(cluster.Topics.Features);
        _loop = Task.Factory.StartNew(() => Run(consumer), TaskCreationOptions.LongRunning);
    }

    /// <summary>Features not belonging to a registered segment (e.g. left over from one already summarised).</summary>
    public long Unmatched => Interlocked.Read(ref _unmatched);
    private long _unmatched;

    public void Register(int segment, PacedLatencyCollector collector) => _segments[segment] = collector;

    public void Unregister(int segment) => _segments.TryRemove(segment, out _);

    /// <summary>Completes faulted if the consumer failed.</summary>
    public Task Completion => _loop;

    private void Run(IConsumer<string, byte[]> consumer)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = consumer.Consume(TimeSpan.FromMilliseconds(20));
                if (result is null || result.IsPartitionEOF)
                    continue;
                if (!OpenLoopPacer.TryParse(result.Message.Key, out var segment, out var index) || !_segments.TryGetValue(segment, out var collector))
                {
                    Interlocked.Increment(ref _unmatched);
                    continue;
                }
                var (source, carriesAge, age) = _probe.ReadAsync(result.Message.Value, _stop.Token).AsTask().GetAwaiter().GetResult();
                collector.Record(index, source, carriesAge, age);
            }
        }
        finally
        {
            consumer.Close();
            consumer.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
