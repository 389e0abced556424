using System.Text.Json;
using TrackRec.Streaming.Diagnostics;
using TrackRec.Streaming.Kafka.Diagnostics;
using Xunit;

namespace TrackRec.Streaming.Tests.Kafka.Diagnostics;

public sealed class ConsumerLagStatisticsTests
{
    // Trimmed from a librdkafka statistics event: two topics, the internal "-1" partition, an unassigned
    // partition (lag -1) and the many fields the parser must skip.
    private const string Sample = """
        {
          "name": "trackrec-worker#consumer-1", "type": "consumer", "ts": 123456789, "time": 1700000000,
          "brokers": { "localhost:9092/1": { "name": "localhost:9092/1", "nodeid": 1, "state": "UP" } },
          "topics": {
            "trackrec.impressions": {
              "topic": "trackrec.impressions", "age": 5012, "metadata_age": 4000,
              "partitions": {
                "0": { "partition": 0, "fetch_state": "active", "committed_offset": 90, "app_offset": 120, "ls_offset": 130, "hi_offset": 130, "consumer_lag": 40, "consumer_lag_stored": 10 },
                "1": { "partition": 1, "fetch_state": "none", "committed_offset": -1001, "ls_offset": 77, "consumer_lag": -1 },
                "-1": { "partition": -1, "fetch_state": "none", "consumer_lag": -1 }
              }
            },
            "trackrec.clicks": {
              "topic": "trackrec.clicks",
              "partitions": {
                "1": { "partition": 1, "fetch_state": "active", "committed_offset": 12, "ls_offset": 12, "consumer_lag": 0 }
              }
            }
          },
          "cgrp": { "state": "up", "rebalance_cnt": 1 }
        }
        """;

    [Fact]
    public void Parse_reads_consumer_lag_per_topic_partition_and_skips_unknown_and_internal_partitions()
    {
        var lags = ConsumerLagStatistics.Parse(Sample);

        Assert.Equal(
            [new PartitionLag("trackrec.clicks", 1, 0), new PartitionLag("trackrec.impressions", 0, 40)],
            lags.OrderBy(l => l.Topic, StringComparer.Ordinal).ThenBy(l => l.Partition));
    }

    [Fact]
    public void Parse_computes_the_lag_from_a_supplied_commit_where_librdkafka_knows_none()
    {
        // The co-partition consumer's view: its offsets are committed by another handle, so consumer_lag is -1.
        const string companion = """
            { "topics": { "trackrec.comments": { "partitions": {
              "0": { "partition": 0, "committed_offset": -1001, "app_offset": 9, "ls_offset": 9, "hi_offset": 11, "consumer_lag": -1 },
              "1": { "partition": 1, "committed_offset": -1001, "app_offset": 3, "ls_offset": 3, "hi_offset": 3, "consumer_lag": -1 },
              "2": { "partition": 2, "committed_offset": -1001, "ls_offset": -1001, "hi_offset": 5, "consumer_lag": -1 }
            } } } }
            """;
        var committed = new Dictionary<int, long> { [0] = 4, [2] = 5 };

        var lags = ConsumerLagStatistics.Parse(companion, (_, partition) => committed.TryGetValue(partition, out var o) ? o : null);

        // Partition 0 from the last stable offset, 2 from the high watermark (no stable offset yet), 1 has no commit.
        Assert.Equal([new PartitionLag("trackrec.comments", 0, 5), new PartitionLag("trackrec.comments", 2, 0)], lags.OrderBy(l => l.Partition));
    }

    [Fact]
    public void Parse_of_statistics_without_topics_is_empty()
    {
        Assert.Empty(ConsumerLagStatistics.Parse("""{ "name": "p", "type": "producer", "topics": {} }"""));
        Assert.Empty(ConsumerLagStatistics.Parse("""{ "name": "c", "type": "consumer" }"""));
    }

    [Fact]
    public void Parse_of_text_that_is_not_json_throws_json_exception()
    {
        Assert.ThrowsAny<JsonException>(() => ConsumerLagStatistics.Parse("not json"));
    }
}
