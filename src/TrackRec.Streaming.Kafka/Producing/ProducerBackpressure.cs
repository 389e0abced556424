using Confluent.Kafka;

namespace TrackRec.Streaming.Kafka.Producing;

/// <summary>
/// Produce with back-pressure: when librdkafka's local queue is full, wait for deliveries and try
/// again instead of failing, so a burst of output slows its producer rather than losing records.
/// </summary>
public static class ProducerBackpressure
{
    public static void Produce<TKey>(IProducer<TKey, byte[]> producer, string topic, Message<TKey, byte[]> message, Action<DeliveryReport<TKey, byte[]>> handler)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message, handler);
                return;
            }
            catch (ProduceException<TKey, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }
}
