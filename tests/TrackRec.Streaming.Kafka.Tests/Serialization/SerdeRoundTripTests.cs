using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.DeadLetters;
using TrackRec.Streaming.Kafka.Serialization;
using TrackRec.Streaming.Outcomes;
using Xunit;

namespace TrackRec.Streaming.Tests.Serialization;

public sealed class SerdeRoundTripTests(RegistryFixture registry)
{
    // Sub-millisecond ticks and a non-UTC offset: the contract keeps the instant, in UTC, to the millisecond.
    private static readonly DateTimeOffset Raw = new DateTimeOffset(2025, 3, 4, 12, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);
    private static readonly DateTimeOffset Millis = new(2025, 3, 4, 10, 30, 15, 123, TimeSpan.Zero);

    private readonly ContractSerdes _serdes = new(registry.Registry.Client);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<T> RoundTrip<T>(AvroSerde<T> serde, T value)
    {
        var bytes = await serde.SerializeAsync(value, Ct);
        return await serde.DeserializeAsync(bytes, Ct);
    }

    private static void AssertUtcMillis(DateTimeOffset expected, DateTimeOffset actual)
    {
        Assert.Equal(expected, actual);
        Assert.Equal(TimeSpan.Zero, actual.Offset);
        Assert.Equal(0, actual.Ticks % TimeSpan.TicksPerMillisecond);
    }

    [Fact]
    public async Task Batch_manifest_with_ranges_files_and_replay()
    {
        var versions = ModelVersions.None with { Generator = "generator-v2", Validator = "validator-v3" };
        var manifest = new Feedback.BatchManifest(
            1, "p001-000000000007-abc", 1,
            [new Feedback.InputRange("impressions", 1, 7, 42)],
            Millis, Millis.AddMinutes(5),
            [versions],
            3, 11,
            [new Feedback.BatchFile("dpo.trl.jsonl", "trl-dpo", 3, 1234, "ab12")],
            new Feedback.ReplayProvenance("job-9", "impressions:1:0-100"));
        var value = new PublishedManifest(manifest, "/data/batches/p001-000000000007-abc");

        var back = await RoundTrip(_serdes.BatchManifests("manifests"), value);

        Assert.Equal(value.Location, back.Location);
        Assert.Equal((manifest.BatchId, manifest.Partition, manifest.PreferenceRecords, manifest.ValidatorRecords), (back.Manifest.BatchId, back.Manifest.Partition, back.Manifest.PreferenceRecords, back.Manifest.ValidatorRecords));
        Assert.Equal(manifest.InputRanges, back.Manifest.InputRanges);
        Assert.Equal(manifest.Files, back.Manifest.Files);
        Assert.Equal(manifest.Replay, back.Manifest.Replay);
        Assert.Equal([versions], back.Manifest.ModelVersions);
        AssertUtcMillis(Millis.AddMinutes(5), back.Manifest.LastEventTime);
    }

    [Fact]
    public async Task Impression_with_all_fields()
    {
        var value = new Impression("e1", "u1", "i1", Raw, "imp1", 3, "home");
        var back = await RoundTrip(_serdes.Impressions("impressions"), value);
        Assert.Equal(value with { EventTime = Millis }, back);
        AssertUtcMillis(Millis, back.EventTime);
    }

    [Fact]
    public async Task Impression_with_nulls()
    {
        var value = new Impression("e1", "u1", "i1", Millis, "imp1");
        var back = await RoundTrip(_serdes.Impressions("impressions"), value);
        Assert.Equal(value, back);
        Assert.Null(back.Position);
        Assert.Null(back.Surface);
    }

    [Fact]
    public async Task Impression_position_zero_is_not_null()
    {
        var value = new Impression("e1", "u1", "i1", Millis, "imp1", 0, "");
        var back = await RoundTrip(_serdes.Impressions("impressions"), value);
        Assert.Equal(0, back.Position);
        Assert.Equal("", back.Surface);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("imp-7")]
    public async Task Click(string? impressionId)
    {
        var value = new Click("e2", "u1", "i1", Raw, impressionId);
        var back = await RoundTrip(_serdes.Clicks("clicks"), value);
        Assert.Equal(value with { EventTime = Millis }, back);
    }

    [Fact]
    public async Task Comment_with_unicode_text()
    {
        var text = "Très bien 👍 — 日本語のコメント\n\"quoted\" \u0000 nul";
        var value = new Comment("e3", "üser-✓", "i1", Millis, text);
        var back = await RoundTrip(_serdes.Comments("comments"), value);
        Assert.Equal(text, back.Text);
        Assert.Equal("üser-✓", back.UserId);
    }

    [Fact]
    public async Task Comment_with_empty_text()
    {
        var value = new Comment("e3", "u1", "i1", Millis, "");
        var back = await RoundTrip(_serdes.Comments("comments"), value);
        Assert.Equal("", back.Text);
    }

    [Fact]
    public async Task Catalog_item_with_all_fields()
    {
        var value = new CatalogItem("i1", "Le Titre ✨", ["music", "jazz"], "long text", Raw);
        var back = await RoundTrip(_serdes.Items("items"), value);
        Assert.Equal(value.ItemId, back.ItemId);
        Assert.Equal(value.Title, back.Title);
        Assert.Equal(["music", "jazz"], back.Categories);
        Assert.Equal("long text", back.Text);
        AssertUtcMillis(Millis, back.UpdatedAt!.Value);
    }

    [Fact]
    public async Task Catalog_item_with_nulls_and_no_categories()
    {
        var value = new CatalogItem("i1", "", []);
        var back = await RoundTrip(_serdes.Items("items"), value);
        Assert.Empty(back.Categories);
        Assert.Null(back.Text);
        Assert.Null(back.UpdatedAt);
    }

    [Theory]
    [InlineData(ChainSource.Fresh)]
    [InlineData(ChainSource.Cached)]
    [InlineData(ChainSource.Degraded)]
    public async Task Chain_feature_every_source(ChainSource source)
    {
        var value = new ChainFeature(
            "imp1", "u1", "i1", Raw, "c1", "likes jazz → try bebop", source, "gen-2",
            [0.5f, -1.25f, float.Epsilon], 0.875, ["i9", "cat:bebop"], 12.5);
        var back = await RoundTrip(_serdes.ChainFeatures("features"), value);
        Assert.Equal(source, back.Source);
        Assert.Equal(value.ChainText, back.ChainText);
        Assert.Equal(value.Embedding, back.Embedding);
        Assert.Equal(value.ExplorationCandidates, back.ExplorationCandidates);
        Assert.Equal(0.875, back.ValidatorScore);
        Assert.Equal(12.5, back.GenerationLatencyMs);
        Assert.Equal("c1", back.ChainId);
        AssertUtcMillis(Millis, back.ImpressionTime);
    }

    [Fact]
    public async Task Chain_feature_without_chain()
    {
        var impression = new Impression("e1", "u1", "i1", Millis, "imp1");
        var value = ChainFeature.For(impression, null, ChainSource.Degraded, 0);
        var back = await RoundTrip(_serdes.ChainFeatures("features"), value);
        Assert.Null(back.ChainId);
        Assert.Null(back.ValidatorScore);
        Assert.Empty(back.Embedding);
        Assert.Empty(back.ExplorationCandidates);
        Assert.Equal("", back.ChainText);
        Assert.Equal(ChainSource.Degraded, back.Source);
    }

    [Fact]
    public async Task User_chain()
    {
        var value = new Chain("c1", "u1", "Ünïcode chain", "gen-2", Raw, long.MaxValue, [1f, 2f], []);
        var back = await RoundTrip(_serdes.UserChains("user-chains"), value);
        Assert.Equal("c1", back.ChainId);
        Assert.Equal("u1", back.UserId);
        Assert.Equal("Ünïcode chain", back.Text);
        Assert.Equal("gen-2", back.GeneratorVersion);
        Assert.Equal(long.MaxValue, back.HistoryVersion);
        Assert.Equal([1f, 2f], back.Embedding);
        Assert.Empty(back.ExplorationCandidates);
        AssertUtcMillis(Millis, back.GeneratedAt);
    }

    [Fact]
    public async Task Outcome_clicked()
    {
        var value = new Outcome("imp1", "u1", "i1", Raw, OutcomeLabel.Clicked, Raw.AddSeconds(5), true, Raw.AddMinutes(1));
        var back = await RoundTrip(_serdes.Outcomes("outcomes"), value);
        Assert.Equal(OutcomeLabel.Clicked, back.Label);
        Assert.True(back.Commented);
        AssertUtcMillis(Millis.AddSeconds(5), back.ClickTime!.Value);
        AssertUtcMillis(Millis.AddMinutes(1), back.ResolvedAt);
    }

    [Fact]
    public async Task Outcome_not_clicked()
    {
        var value = new Outcome("imp1", "u1", "i1", Millis, OutcomeLabel.NotClicked, null, false, Millis.AddHours(1));
        var back = await RoundTrip(_serdes.Outcomes("outcomes"), value);
        Assert.Equal(value, back);
    }

    [Fact]
    public async Task Dead_letter_with_bytes()
    {
        var value = new DeadLetter("impressions", 3, 1_234_567_890_123, Raw, [1, 2, 0, 255], [], "avro-decode", "bad ✗", Millis, "worker-1");
        var back = await RoundTrip(_serdes.DeadLetters("dead-letters"), value);
        Assert.Equal("impressions", back.SourceTopic);
        Assert.Equal(3, back.SourcePartition);
        Assert.Equal(1_234_567_890_123, back.SourceOffset);
        AssertUtcMillis(Millis, back.SourceTimestamp!.Value);
        Assert.Equal(new byte[] { 1, 2, 0, 255 }, back.Key);
        Assert.Equal(Array.Empty<byte>(), back.Value);
        Assert.Equal("avro-decode", back.ErrorClass);
        Assert.Equal("bad ✗", back.ErrorMessage);
        Assert.Equal("worker-1", back.Worker);
    }

    [Fact]
    public async Task Dead_letter_with_nulls()
    {
        var value = new DeadLetter("t", 0, 0, null, null, null, "wire-format", "", Millis);
        var back = await RoundTrip(_serdes.DeadLetters("dead-letters"), value);
        Assert.Null(back.SourceTimestamp);
        Assert.Null(back.Key);
        Assert.Null(back.Value);
        Assert.Null(back.Worker);
    }

    [Fact]
    public async Task Serde_is_safe_to_share_between_threads()
    {
        var serde = _serdes.Impressions("impressions");
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var value = new Impression($"e{i}", $"u{i}", "i1", Millis.AddMilliseconds(i), $"imp{i}", i, null);
            return (value, back: await RoundTrip(serde, value));
        }, Ct)));
        Assert.All(results, r => Assert.Equal(r.value, r.back));
    }

    [Fact]
    public async Task Serialize_rejects_an_invalid_event()
    {
        var serde = _serdes.Impressions("impressions");
        await Assert.ThrowsAsync<EventValidationException>(
            async () => await serde.SerializeAsync(new Impression("e1", "u1", "i1", Millis, " "), Ct));
    }
}
