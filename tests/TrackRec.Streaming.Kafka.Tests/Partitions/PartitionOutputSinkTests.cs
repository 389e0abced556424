using Confluent.Kafka;
using Microsoft.Extensions.Time.Testing;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Consuming;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Diagnostics;
using TrackRec.Streaming.Kafka.Partitions;
using TrackRec.Streaming.Kafka.Producing;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Outcomes;
using TrackRec.Streaming.Processing;
using Xunit;

namespace TrackRec.Streaming.Tests.Partitions;

/// <summary>
/// The output sink on its own, with a publisher the test acknowledges by hand: which offset becomes committable when,
/// what a warm-up record writes (nothing), and where an undecodable record goes. No broker.
/// </summary>
public sealed class PartitionOutputSinkTests(RegistryFixture registry)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly TopicOptions _topics = new();
    private readonly RecordingPublisher _publisher = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PartitionOutputSink Sink(long[]? emitFrom = null)
    {
        var serdes = new StreamSerdes(registry.Registry.Client, _topics);
        var time = new FakeTimeProvider(T0);
        return new PartitionOutputSink(3, serdes, _publisher, new DeadLetterPublisher(serdes, _publisher, time, "w"), new StreamCounters(), time, emitFrom: emitFrom);
    }

    private static RecordRef Impression(long offset) => new(0, offset, 0);

    private static ChainFeature Feature(string impressionId) =>
        ChainFeature.For(new Impression("e-" + impressionId, "u1", "i1", T0, impressionId), null, ChainSource.None, 0);

    private static PipelineResult<RecordRef> Served(RecordRef impression)
    {
        var result = new PipelineResult<RecordRef> { AwaitsOutcome = true };
        result.Features.Add((Feature("imp" + impression.Offset), impression));
        return result;
    }

    private static PipelineResult<RecordRef> Labelled(RecordRef impression)
    {
        var result = new PipelineResult<RecordRef>();
        result.Outcomes.Add(new JoinResult<RecordRef>(new Outcome("imp" + impression.Offset, "u1", "i1", T0, OutcomeLabel.NotClicked, null, false, T0.AddMinutes(30)), impression));
        return result;
    }

    [Fact]
    public async Task An_impression_is_committable_only_once_its_feature_and_its_outcome_are_acknowledged()
    {
        var sink = Sink();
        var impression = Impression(5);
        sink.Begin(0, 5);

        await sink.EmitAsync(Served(impression), T0, Ct);
        sink.Finish(impression);
        Assert.Equal(-1, sink.CommittableOffset(0)); // the feature is not acknowledged
        _publisher.AcknowledgeAll();
        Assert.Equal(-1, sink.CommittableOffset(0)); // the impression still owes its outcome

        await sink.EmitAsync(Labelled(impression), T0, Ct);
        Assert.Equal(-1, sink.CommittableOffset(0)); // the outcome is not acknowledged
        _publisher.AcknowledgeAll();

        Assert.Equal(6, sink.CommittableOffset(0));
        Assert.Equal(0, sink.InFlight);
        Assert.Equal([_topics.Features, _topics.Outcomes], _publisher.Topics);
    }

    [Fact]
    public async Task A_record_held_for_slow_lane_work_waits_for_the_result_that_releases_it()
    {
        var sink = Sink();
        var click = new RecordRef(1, 40, 0);
        sink.Begin(1, 40);
        var asked = new PipelineResult<RecordRef>();
        asked.Holds.Add(click);

        await sink.EmitAsync(asked, T0, Ct);
        sink.Finish(click);
        Assert.Equal(-1, sink.CommittableOffset(1));

        var done = new PipelineResult<RecordRef>();
        done.Releases.Add(click);
        await sink.EmitAsync(done, T0, Ct);
        Assert.Equal(41, sink.CommittableOffset(1));
    }

    [Fact]
    public async Task A_warm_up_record_rebuilds_state_but_writes_nothing_and_is_not_held()
    {
        var sink = Sink(emitFrom: [10, 0, 0]);
        var warmup = Impression(7);
        sink.Begin(0, 7);

        await sink.EmitAsync(Served(warmup), T0, Ct);
        await sink.EmitAsync(Labelled(warmup), T0, Ct);
        sink.Finish(warmup);

        Assert.Empty(_publisher.Topics);
        Assert.Equal(8, sink.CommittableOffset(0));
    }

    [Fact]
    public async Task An_undecodable_record_becomes_a_dead_letter_and_is_committable_once_that_is_durable()
    {
        var sink = Sink();
        var record = new ConsumeResult<byte[]?, byte[]?>
        {
            Topic = _topics.Clicks,
            Partition = new Partition(3),
            Offset = new Offset(12),
            Message = new Message<byte[]?, byte[]?> { Value = [1, 2, 3], Timestamp = new Timestamp(T0) },
        };
        sink.Begin(1, 12);

        var decoded = await sink.DecodeAsync(record, new RecordRef(1, 12, 0), Ct);

        Assert.Null(decoded);
        Assert.Equal([_topics.DeadLetters], _publisher.Topics);
        Assert.Equal("trackrec.clicks/3/12", _publisher.Keys[0]);
        Assert.Equal(-1, sink.CommittableOffset(1));
        _publisher.AcknowledgeAll();
        Assert.Equal(13, sink.CommittableOffset(1));
    }

    private sealed class RecordingPublisher : IRecordPublisher
    {
        private readonly List<Action> _pending = [];

        public List<string> Topics { get; } = [];

        public List<string> Keys { get; } = [];

        public void Publish(string topic, string key, byte[] value, Headers? headers, Action onAcknowledged)
        {
            Topics.Add(topic);
            Keys.Add(key);
            _pending.Add(onAcknowledged);
        }

        public void AcknowledgeAll()
        {
            foreach (var acknowledge in _pending)
                acknowledge();
            _pending.Clear();
        }
    }
}
