using Confluent.Kafka;
using TrackRec.Streaming.Kafka.Configuration;

namespace TrackRec.Streaming.Kafka.Consuming;

/// <summary>
/// The one place consumer settings are made: offsets are never committed or stored automatically
/// (the worker commits only durable work), reads start from the earliest record, fetches wait at most
/// 10 ms for data, and the operator's
/// extra librdkafka properties (TrackRec:Kafka:Consumer) apply last.
/// </summary>
public static class ConsumerSettings
{
    public static ConsumerConfig Create(KafkaOptions options, string clientId, string groupId)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = clientId,
            GroupId = groupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            IsolationLevel = IsolationLevel.ReadCommitted,
            // Features are latency-bound: a fetch of a quiet partition waits at most 10 ms for data instead of
            // librdkafka's 500 ms, which `bench stream` measured as most of a paced record's latency.
            FetchWaitMaxMs = 10,
        };
        foreach (var (key, value) in options.Consumer)
            config.Set(key, value);
        return config;
    }
}
