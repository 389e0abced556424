using System.Text;
using Confluent.Kafka;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>
/// Produces impressions on an <see cref="OpenLoopSchedule"/>: every record due by now is sent, never waiting
/// for the system under test, so a backlog shows up as latency rather than as a slower sender. Users and items
/// cycle through the given pairs (real traffic's mix); each impression id names its segment and index, which
/// is how the downstream consumer finds its scheduled time. The producer lingers 0 ms: upstream batching is not
/// the worker's latency. One producer serves every segment, so only the first pays for connecting.
/// </summary>
internal sealed class OpenLoopPacer(string bootstrapServers, StreamSerdes serdes, IReadOnlyList<(string UserId, string ItemId)> pairs, TimeProvider time) : IDisposable
{
    private readonly IProducer<byte[], byte[]> _producer = new ProducerBuilder<byte[], byte[]>(
        new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 0 }).Build();

    public static string ImpressionId(int segment, long index) => $"bench-{segment}-{index}";

    /// <summary>Parses an id made by <see cref="ImpressionId"/>.</summary>
    public static bool TryParse(string impressionId, out int segment, out long index)
    {
        segment = 0;
        index = 0;
        var parts = impressionId.Split('-');
        return parts.Length == 3 && parts[0] == "bench"
            && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out segment)
            && long.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out index);
    }

    /// <summary>Sends the segment's records as they fall due; <paramref name="offset"/> moves through <paramref name="pairs"/> across segments.</summary>
    public async Task RunAsync(int segment, OpenLoopSchedule schedule, long offset, CancellationToken cancellationToken)
    {
        Error? failed = null;
        long next = 0;
        while (next < schedule.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var due = schedule.DueBy(time.GetTimestamp());
            for (; next < due; next++)
            {
                var (userId, itemId) = pairs[(int)((offset + next) % pairs.Count)];
                var id = ImpressionId(segment, next);
                var impression = new Impression(id, userId, itemId, time.GetUtcNow(), id);
                var value = await serdes.Impressions.SerializeAsync(impression, cancellationToken).ConfigureAwait(false);
                var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(userId), Value = value, Timestamp = new Timestamp(impression.EventTime) };
                ProducerBackpressure.Produce(_producer, serdes.Topics.Impressions, message, r => { if (r.Error.IsError) failed ??= r.Error; });
            }
            if (next < schedule.Count)
            {
                var wait = time.GetElapsedTime(time.GetTimestamp(), schedule.ScheduledTimestamp(next));
                if (wait > TimeSpan.FromMilliseconds(1))
                    await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                else
                    await Task.Yield();
            }
        }
        _producer.Flush(cancellationToken);
        if (failed is { } error)
            throw new KafkaException(error);
    }

    public void Dispose() => _producer.Dispose();
}
