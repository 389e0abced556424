using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Embedded;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.DeadLetters;

/// <summary>
/// The dead-letter publisher on its own: what one failed record becomes on the dead-letter topic (bytes,
/// provenance, class, message, key) and when its hold may be released. Broker: the embedded cluster.
/// </summary>
public sealed class DeadLetterPublisherTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 5, 6, 7, 8, 9, 10, TimeSpan.Zero);
    private static readonly DateTimeOffset SourceTime = new(2026, 5, 6, 7, 0, 0, 123, TimeSpan.Zero);
    private readonly EmbeddedKafkaCluster _cluster = EmbeddedKafkaCluster.Start();
    private readonly TopicOptions _topics = new();
    private readonly StreamSerdes _serdes;
    private readonly OutputPublisher _output;
    private readonly DeadLetterPublisher _publisher;

    public DeadLetterPublisherTests(RegistryFixture registry)
    {
        _cluster.CreateTopic(_topics.DeadLetters, partitions: 1);
        _serdes = new StreamSerdes(registry.Registry.Client, _topics);
        _output = new OutputPublisher(new KafkaOptions { BootstrapServers = _cluster.BootstrapServers }, NullLogger<OutputPublisher>.Instance);
        _publisher = new DeadLetterPublisher(_serdes, _output, new FakeTimeProvider(Now), "worker-7");
    }

    public void Dispose()
    {
        _output.Dispose();
        _cluster.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ConsumeResult<byte[]?, byte[]?> Failed(byte[]? key, byte[]? value, long offset = 17) => new()
    {
        Topic = "trackrec.clicks",
        Partition = new Partition(2),
        Offset = new Offset(offset),
        Message = new Message<byte[]?, byte[]?> { Key = key, Value = value, Timestamp = new Timestamp(SourceTime) },
    };

    [Fact]
    public async Task The_record_is_parked_untouched_with_its_provenance_and_the_hold_is_released_once_durable()
    {
        byte[] value = [0, 0, 0x7f, 1, 2, 3, 0xff];
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await _publisher.PublishAsync(Failed("user-1"u8.ToArray(), value), UnknownSchemaException.Class, "schema id 8323329 is not known", acknowledged.SetResult, Ct);
        await acknowledged.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var record = Assert.Single(ReadDeadLetters(1));
        Assert.Equal("trackrec.clicks/2/17", record.Message.Key);
        Assert.Equal("trackrec.clicks", Header(record, DeadLetterHeaders.SourceTopic));
        Assert.Equal("2", Header(record, DeadLetterHeaders.SourcePartition));
        Assert.Equal("17", Header(record, DeadLetterHeaders.SourceOffset));
        Assert.Equal("unknown-schema", Header(record, DeadLetterHeaders.ErrorClass));
        Assert.Equal("schema id 8323329 is not known", Header(record, DeadLetterHeaders.ErrorMessage));

        var letter = await _serdes.DeadLetters.DeserializeAsync(record.Message.Value, Ct);
        Assert.Equal(("trackrec.clicks", 2, 17L), (letter.SourceTopic, letter.SourcePartition, letter.SourceOffset));
        Assert.Equal(SourceTime, letter.SourceTimestamp);
        Assert.Equal("user-1"u8.ToArray(), letter.Key);
        Assert.Equal(value, letter.Value);
        Assert.Equal(("unknown-schema", "schema id 8323329 is not known"), (letter.ErrorClass, letter.ErrorMessage));
        Assert.Equal(Now, letter.FailedAt);
        Assert.Equal("worker-7", letter.Worker);
    }

    [Fact]
    public async Task A_long_message_is_cut_to_1000_characters_in_the_header_and_the_envelope()
    {
        var message = new string('x', 1500);
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        await _publisher.PublishAsync(Failed(null, [1]), AvroDecodeException.Class, message, acknowledged.SetResult, Ct);
        await acknowledged.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var record = Assert.Single(ReadDeadLetters(1));
        Assert.Equal(1000, Header(record, DeadLetterHeaders.ErrorMessage).Length);
        var letter = await _serdes.DeadLetters.DeserializeAsync(record.Message.Value, Ct);
        Assert.Equal(message[..1000], letter.ErrorMessage);
        Assert.Null(letter.Key);
    }

    [Fact]
    public async Task A_tombstone_and_a_record_failed_twice_keep_their_coordinates_as_the_key()
    {
        var acks = 0;
        await _publisher.PublishAsync(Failed(null, null, offset: 5), WireFormatException.Class, "the record has no value", () => Interlocked.Increment(ref acks), Ct);
        // The same record again, as after a restart before its offset was committed: same key, so compaction
        // and consumers that dedupe by key see one dead letter.
        await _publisher.PublishAsync(Failed(null, null, offset: 5), WireFormatException.Class, "the record has no value", () => Interlocked.Increment(ref acks), Ct);
        Assert.Equal(0, _output.Flush(TimeSpan.FromSeconds(30)));

        var records = ReadDeadLetters(2);
        Assert.Equal(2, acks);
        Assert.All(records, r => Assert.Equal("trackrec.clicks/2/5", r.Message.Key));
        var letter = await _serdes.DeadLetters.DeserializeAsync(records[0].Message.Value, Ct);
        Assert.Null(letter.Value);
        Assert.Equal("wire-format", letter.ErrorClass);
    }

    private List<ConsumeResult<string, byte[]>> ReadDeadLetters(int count)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "dead-letter-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Assign(new TopicPartitionOffset(_topics.DeadLetters, 0, Offset.Beginning));
        var read = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (read.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                read.Add(result);
        }

        Assert.Equal(count, read.Count);
        // Nothing beyond what was published.
        Assert.Null(consumer.Consume(TimeSpan.FromMilliseconds(300)));
        return read;
    }

    private static string Header(ConsumeResult<string, byte[]> record, string name) =>
        Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes(name));
}
