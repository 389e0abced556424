using Confluent.Kafka;

namespace TrackRec.Streaming.Kafka.Producing;

/// <summary>Hands an output record to the producer; the callback runs once the broker has acknowledged it (so its input may be committed).</summary>
public interface IRecordPublisher
{
    /// <summary>Publishes <paramref name="value"/> under <paramref name="key"/>; <paramref name="onAcknowledged"/> runs once it is durable.</summary>
    void Publish(string topic, string key, byte[] value, Headers? headers, Action onAcknowledged);
}
