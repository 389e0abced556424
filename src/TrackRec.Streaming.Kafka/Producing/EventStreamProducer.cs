using Confluent.Kafka;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Inputs;

namespace TrackRec.Streaming.Kafka.Producing;

/// <summary>
/// Writes a stream of catalog items and behaviour events onto the input topics as an upstream producer
/// would: Confluent wire format, keyed by user id (items by item id), record timestamp = event time.
/// It can also inject malformed records, straight as bytes, to exercise the dead-letter path.
/// Used by the demo and the tests.
/// </summary>
public sealed class EventStreamProducer(string bootstrapServers, StreamSerdes serdes)
{
    /// <summary>Produces the stream; returns how many malformed records were injected.</summary>
    /// <param name="malformedShare">Share of events followed by a malformed record on the same topic and key.</param>
    /// <param name="seed">Seeds where malformed records go and what they look like.</param>
    /// <param name="eventsPerSecond">Paces the behaviour events (a live feed for `trackrec dev`); 0 sends them as fast as possible.</param>
    /// <param name="time">The clock pacing is measured on (system time if null).</param>
    public async Task<int> ProduceAsync(EventStream stream, double malformedShare, int seed, CancellationToken cancellationToken, double eventsPerSecond = 0, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventsPerSecond);
        time ??= TimeProvider.System;
        ArgumentNullException.ThrowIfNull(stream);
        var random = new Random(seed);
        var malformed = 0;
        var config = new ProducerConfig { BootstrapServers = bootstrapServers, EnableIdempotence = true, Acks = Acks.All, LingerMs = 20 };
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var failed = (Error?)null;
        void Send(string topic, string key, byte[] value, DateTimeOffset time)
        {
            var message = new Message<byte[], byte[]> { Key = System.Text.Encoding.UTF8.GetBytes(key), Value = value, Timestamp = new Timestamp(time) };
            ProducerBackpressure.Produce(producer, topic, message, r => { if (r.Error.IsError) failed ??= r.Error; });
        }

        foreach (var item in stream.Items)
        {
            var bytes = await serdes.Items.SerializeAsync(item, cancellationToken).ConfigureAwait(false);
            Send(serdes.Topics.Items, item.ItemId, bytes, item.UpdatedAt ?? DateTimeOffset.UnixEpoch);
        }
        var started = time.GetTimestamp();
        var sent = 0;
        foreach (var e in stream.Events)
        {
            if (eventsPerSecond > 0)
            {
                // Due time of the next event on the pace, so slow sends are caught up rather than accumulated.
                var due = TimeSpan.FromSeconds(sent++ / eventsPerSecond) - time.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                    await Task.Delay(due, time, cancellationToken).ConfigureAwait(false);
            }
            var topic = serdes.TopicOf(e);
            Send(topic, e.UserId, await serdes.EncodeBehaviourAsync(e, cancellationToken).ConfigureAwait(false), e.EventTime);
            if (malformedShare > 0 && random.NextDouble() < malformedShare)
            {
                Send(topic, e.UserId, Malformed(random), e.EventTime);
                malformed++;
            }
        }
        producer.Flush(cancellationToken);
        if (failed is { } error)
            throw new KafkaException(error);
        return malformed;
    }

    /// <summary>One of the ways upstream bytes go wrong: no wire header, a truncated body, or a body that is not Avro.</summary>
    public static byte[] Malformed(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        switch (random.Next(3))
        {
            case 0:
                return "{\"user_id\": \"not avro\"}"u8.ToArray();
            case 1:
                return [0, 0, 0];
            default:
                // A correct header with an unknown schema id and random bytes after it.
                var bytes = new byte[24];
                random.NextBytes(bytes);
                bytes[0] = 0;
                bytes[1] = 0x7f;
                return bytes;
        }
    }
}
