namespace TrackRec.Streaming.Kafka.Embedded;

/// <summary>
/// Kafka protocol request types, so fault injection can name the request to fail instead of passing
/// magic numbers. Values are the wire ApiKeys (see librdkafka's rdkafka_protocol.h).
/// </summary>
#pragma warning disable CA1028 // the wire format defines ApiKey as int16
public enum KafkaApiKey : short
#pragma warning restore CA1028
{
    Produce = 0,
    Fetch = 1,
    ListOffsets = 2,
    Metadata = 3,
    OffsetCommit = 8,
    OffsetFetch = 9,
    FindCoordinator = 10,
    JoinGroup = 11,
    Heartbeat = 12,
    LeaveGroup = 13,
    SyncGroup = 14,
    DescribeGroups = 15,
    ListGroups = 16,
    ApiVersions = 18,
    CreateTopics = 19,
    DeleteTopics = 20,
    DeleteRecords = 21,
    InitProducerId = 22,
    OffsetForLeaderEpoch = 23,
    AddPartitionsToTxn = 24,
    AddOffsetsToTxn = 25,
    EndTxn = 26,
    TxnOffsetCommit = 28,
    DescribeConfigs = 32,
    ConsumerGroupHeartbeat = 68,
}
