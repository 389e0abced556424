using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.Kafka.Configuration;

/// <summary>How the worker reaches Kafka (and, optionally, a Schema Registry).</summary>
public sealed class KafkaOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "TrackRec:Kafka";

    /// <summary>Bootstrap servers, e.g. "kafka:9092".</summary>
    [Required(AllowEmptyStrings = false)]
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>The consumer group of the live workers.</summary>
    [Required(AllowEmptyStrings = false)]
    public string GroupId { get; set; } = "trackrec-worker";

    /// <summary>Schema Registry URL; empty (and no <c>url</c> under <see cref="SchemaRegistry"/>) starts the embedded registry.</summary>
    public string? SchemaRegistryUrl { get; set; }

    /// <summary>
    /// Confluent schema registry client settings (<c>SchemaRegistryConfig</c>), e.g. <c>basic.auth.user.info</c>,
    /// <c>ssl.ca.location</c>, <c>request.timeout.ms</c>; the <c>schema.registry.</c> prefix is optional.
    /// </summary>
    public Dictionary<string, string> SchemaRegistry { get; set; } = [];

    /// <summary>Records buffered per input partition before it is paused (polling continues).</summary>
    [Range(1, 1_000_000)]
    public int MaxBufferedPerPartition { get; set; } = 2000;

    /// <summary>
    /// How long a co-partition that has more data (no end-of-partition seen) but nothing fetched is
    /// waited for before the others move on without it. Waiting keeps event-time order exact (a replay
    /// labels as live traffic did); the limit is only a safety valve for a partition that cannot be
    /// fetched, since a caught-up partition reports its end and is never waited for.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxIdle { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often finished offsets are committed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long shutdown and revocation wait for outstanding deliveries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often librdkafka reports statistics, which feed the trackrec.consumer.lag gauge; zero turns them off.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan StatisticsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Extra librdkafka consumer properties (e.g. security settings), applied last.</summary>
    public Dictionary<string, string> Consumer { get; set; } = [];

    /// <summary>Extra librdkafka producer properties, applied last.</summary>
    public Dictionary<string, string> Producer { get; set; } = [];
}
