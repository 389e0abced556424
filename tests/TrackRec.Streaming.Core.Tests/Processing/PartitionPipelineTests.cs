using Microsoft.Extensions.Time.Testing;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Outcomes;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Tests.Chains;
using TrackRec.Streaming.UserState;
using Xunit;

namespace TrackRec.Streaming.Tests.Processing;

public sealed class PartitionPipelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TrackedFakeTimeProvider _clock = new();
    private readonly PipelineCounters _counters = new();
    private readonly ItemCatalog _catalog = new();

    public PartitionPipelineTests()
    {
        _catalog.Upsert(new CatalogItem("jazz1", "Jazz One", ["jazz"]));
        _catalog.Upsert(new CatalogItem("jazz2", "Jazz Two", ["jazz", "live"]));
        _catalog.Upsert(new CatalogItem("crime1", "Crime One", ["crime"]));
    }

    private static PipelineOptions Options(int maxNewEvents = 20, TimeSpan? ttl = null, TimeSpan? timeout = null) => new()
    {
        Chains = new ChainFreshnessOptions
        {
            MaxNewEvents = maxNewEvents,
            TimeToLive = ttl ?? TimeSpan.FromDays(1),
            GenerationTimeout = timeout ?? TimeSpan.FromSeconds(30),
        },
        Attribution = new AttributionOptions { Window = TimeSpan.FromMinutes(30), Grace = TimeSpan.FromMinutes(5) },
    };

    private static GenerationOptions WriterOptions(int samples = 2, int heldOut = 0) =>
        new() { Samples = samples, HeldOutOutcomes = heldOut, ReflectionRounds = 1, ExplorationCandidates = 3 };

    private PartitionPipeline<string> NewPipeline(
        IChainGenerator generator,
        PipelineOptions? options = null,
        IChainValidator? validator = null,
        IChainReflector? reflector = null,
        GenerationOptions? writer = null) =>
        new(options ?? Options(), _catalog, new GenerationOrchestrator(writer ?? WriterOptions(), new ChainRoles(generator, validator ?? new ScriptedValidator(), reflector)), _clock, _counters);

    private static Impression Imp(string id, DateTimeOffset at, string item = "jazz1", string user = "u1") => new("e-" + id, user, item, at, id);

    private static Click ClickOn(string impressionId, DateTimeOffset at, string item = "jazz1", string user = "u1") =>
        new("c-" + impressionId, user, item, at, impressionId);

    private static ValueTask<PipelineResult<string>> Process(PartitionPipeline<string> pipeline, BehaviourEvent e) =>
        pipeline.ProcessAsync(e, e.EventId, CancellationToken.None);

    [Fact]
    public async Task Every_impression_yields_exactly_one_feature_and_awaits_its_outcome()
    {
        var generator = new RecordingGenerator();
        var pipeline = NewPipeline(generator);

        var r1 = await Process(pipeline, Imp("imp1", T0));
        var r2 = await Process(pipeline, Imp("imp2", T0.AddMinutes(1), "jazz2"));
        var click = await Process(pipeline, ClickOn("imp1", T0.AddMinutes(2)));
        var comment = await Process(pipeline, new Comment("cm1", "u1", "crime1", T0.AddMinutes(3), "meh"));

        var f1 = Assert.Single(r1.Features);
        Assert.Equal(("imp1", "u1", "jazz1", T0, "e-imp1"), (f1.Feature.ImpressionId, f1.Feature.UserId, f1.Feature.ItemId, f1.Feature.ImpressionTime, f1.Origin));
        Assert.Equal("imp2", Assert.Single(r2.Features).Feature.ImpressionId);
        Assert.Empty(click.Features);
        Assert.Empty(comment.Features);
        Assert.True(r1.AwaitsOutcome);
        Assert.True(r2.AwaitsOutcome);
        Assert.False(click.AwaitsOutcome);
        Assert.False(comment.AwaitsOutcome);
        Assert.Equal((2, 1, 1), (_counters.Impressions, _counters.Clicks, _counters.Comments));
    }

    [Fact]
    public async Task First_impression_generates_a_fresh_chain_and_later_ones_within_max_new_events_are_cached()
    {
        var generator = new RecordingGenerator();
        var pipeline = NewPipeline(generator, Options(maxNewEvents: 3));

        var r1 = await Process(pipeline, Imp("imp1", T0));                       // version 0 -> fresh, then 1
        var r2 = await Process(pipeline, Imp("imp2", T0.AddMinutes(1)));         // 1 - 0 < 3 -> cached, then 2
        var r3 = await Process(pipeline, Imp("imp3", T0.AddMinutes(2)));         // 2 - 0 < 3 -> cached, then 3
        var r4 = await Process(pipeline, Imp("imp4", T0.AddMinutes(3)));         // 3 - 0 >= 3 -> fresh

        var fresh = Assert.Single(r1.Features).Feature;
        Assert.Equal(ChainSource.Fresh, fresh.Source);
        var chain = Assert.Single(r1.Chains);
        Assert.Equal("e-imp1", chain.Origin);
        Assert.Equal(chain.Chain.ChainId, fresh.ChainId);
        Assert.Equal(chain.Chain.Text, fresh.ChainText);
        Assert.Equal(RecordingGenerator.GeneratorVersion, fresh.GeneratorVersion);

        foreach (var cached in new[] { r2, r3 })
        {
            var feature = Assert.Single(cached.Features).Feature;
            Assert.Equal(ChainSource.Cached, feature.Source);
            Assert.Equal(fresh.ChainId, feature.ChainId);
            Assert.Empty(cached.Chains);
        }

        Assert.Equal(ChainSource.Fresh, Assert.Single(r4.Features).Feature.Source);
        Assert.Single(r4.Chains);
        Assert.NotEqual(fresh.ChainId, r4.Features[0].Feature.ChainId);
        Assert.Equal([0L, 3L], generator.Requests.Select(r => r.HistoryVersion));
        // Two generations of two samples each.
        Assert.Equal((2, 4, 2), (_counters.Generations, _counters.ChainsGenerated, _counters.ChainCacheHits));
    }

    [Fact]
    public async Task Clicks_and_comments_count_towards_max_new_events()
    {
        var generator = new RecordingGenerator();
        var pipeline = NewPipeline(generator, Options(maxNewEvents: 3));

        await Process(pipeline, Imp("imp1", T0));
        await Process(pipeline, ClickOn("imp1", T0.AddMinutes(1)));
        await Process(pipeline, new Comment("cm", "u1", "jazz1", T0.AddMinutes(2), "nice"));
        var r = await Process(pipeline, Imp("imp2", T0.AddMinutes(3)));

        Assert.Equal(ChainSource.Fresh, r.Features[0].Feature.Source);
        Assert.Equal(2, generator.Requests.Count);
    }

    [Fact]
    public async Task Chain_is_regenerated_once_its_event_time_age_reaches_the_ttl()
    {
        var generator = new RecordingGenerator();
        var ttl = TimeSpan.FromHours(1);
        var pipeline = NewPipeline(generator, Options(maxNewEvents: 1000, ttl: ttl));

        await Process(pipeline, Imp("imp1", T0));
        var young = await Process(pipeline, Imp("imp2", T0 + ttl - TimeSpan.FromTicks(1)));
        var old = await Process(pipeline, Imp("imp3", T0 + ttl));

        Assert.Equal(ChainSource.Cached, young.Features[0].Feature.Source);
        Assert.Equal(ChainSource.Fresh, old.Features[0].Feature.Source);
        Assert.Equal([T0, T0 + ttl], generator.Requests.Select(r => r.AsOf));
    }

    [Fact]
    public async Task Wall_clock_time_does_not_age_chains()
    {
        var generator = new RecordingGenerator();
        var pipeline = NewPipeline(generator, Options(ttl: TimeSpan.FromMinutes(1)));

        await Process(pipeline, Imp("imp1", T0));
        _clock.Advance(TimeSpan.FromDays(3));
        var r = await Process(pipeline, Imp("imp2", T0.AddSeconds(10)));

        Assert.Equal(ChainSource.Cached, r.Features[0].Feature.Source);
    }

    [Fact]
    public async Task The_chain_request_never_holds_the_impression_being_served()
    {
        var generator = new RecordingGenerator();
        var pipeline = NewPipeline(generator, Options(maxNewEvents: 1));

        await Process(pipeline, Imp("imp1", T0, "jazz1"));
        await Process(pipeline, ClickOn("imp1", T0.AddMinutes(1)));
        await Process(pipeline, Imp("imp2", T0.AddMinutes(2), "crime1"));

        Assert.Equal(2, generator.Requests.Count);
        var first = generator.Requests[0];
        Assert.Equal(("u1", 0L, T0), (first.UserId, first.HistoryVersion, first.AsOf));
        Assert.Empty(first.History);

        var second = generator.Requests[1];
        Assert.Equal(2L, second.HistoryVersion);
        Assert.Equal(
            [("jazz1", Signal.Impression), ("jazz1", Signal.Click)],
            second.History.Select(h => (h.ItemId, h.Signal)));
        Assert.DoesNotContain(second.History, h => h.ItemId == "crime1");
        // Items are described from the catalog.
        Assert.Equal("Jazz One", second.History[0].Title);
        Assert.Equal(["jazz"], second.History[0].Categories);

        // ... and the impression is absorbed right after generation.
        Assert.Equal(3, pipeline.Users.Find("u1")!.Version);
        Assert.Equal(("crime1", Signal.Impression), (pipeline.Users.Find("u1")!.Entries.Last().ItemId, pipeline.Users.Find("u1")!.Entries.Last().Signal));
    }

    [Fact]
    public async Task Items_unknown_to_the_catalog_are_described_without_title_or_categories()
    {
        var generator = new RecordingGenerator();
        var pipeline = NewPipeline(generator, Options(maxNewEvents: 1));

        await Process(pipeline, Imp("imp1", T0, "unknown"));
        await Process(pipeline, Imp("imp2", T0.AddMinutes(1)));

        var view = Assert.Single(generator.Requests[1].History);
        Assert.Equal(("unknown", (string?)null), (view.ItemId, view.Title));
        Assert.Empty(view.Categories);
    }

    [Fact]
    public async Task A_throwing_generator_serves_a_degraded_feature_and_the_partition_continues()
    {
        var generator = new RecordingGenerator { FailOnCalls = { 2 } };
        var pipeline = NewPipeline(generator, Options(maxNewEvents: 1));

        var ok = await Process(pipeline, Imp("imp1", T0));
        var failed = await Process(pipeline, Imp("imp2", T0.AddMinutes(1)));
        _clock.Advance(TimeSpan.FromMinutes(1)); // past the user's retry backoff
        var recovered = await Process(pipeline, Imp("imp3", T0.AddMinutes(2)));

        var degraded = Assert.Single(failed.Features);
        Assert.Equal(ChainSource.Degraded, degraded.Feature.Source);
        Assert.Equal(["generator"], degraded.Feature.DegradedRoles);
        Assert.Equal("e-imp2", degraded.Origin);
        // Degraded serves the last chain the user had, marked.
        Assert.Equal(ok.Features[0].Feature.ChainId, degraded.Feature.ChainId);
        Assert.Empty(failed.Chains);
        Assert.True(failed.AwaitsOutcome);
        Assert.Equal(1, _counters.DegradedFeatures);

        Assert.Equal(ChainSource.Fresh, recovered.Features[0].Feature.Source);
        Assert.Equal(3, pipeline.OpenImpressions);
        Assert.Equal(3, pipeline.Users.Find("u1")!.Version);
    }

    [Fact]
    public async Task A_throwing_generator_on_a_new_user_serves_a_degraded_feature_without_chain()
    {
        var pipeline = NewPipeline(new RecordingGenerator { FailOnCalls = { 1 } });

        var r = await Process(pipeline, Imp("imp1", T0));

        var feature = Assert.Single(r.Features).Feature;
        Assert.Equal(ChainSource.Degraded, feature.Source);
        Assert.Null(feature.ChainId);
        Assert.Equal(string.Empty, feature.ChainText);
        Assert.Equal(["generator"], feature.DegradedRoles);
        Assert.Null(feature.ValidatorScore);
        Assert.Equal(1, _counters.DegradedFeatures);
    }

    [Fact]
    public async Task A_generator_slower_than_the_timeout_serves_degraded_when_the_clock_passes_the_timeout()
    {
        var generator = new RecordingGenerator { Hang = true };
        var timeout = TimeSpan.FromSeconds(5);
        var pipeline = NewPipeline(generator, Options(timeout: timeout));

        var pending = Process(pipeline, Imp("imp1", T0));
        Assert.True(generator.Started.Task.IsCompleted);
        _clock.Advance(timeout - TimeSpan.FromTicks(1));
        Assert.False(pending.IsCompleted);
        Assert.False(generator.Token.IsCancellationRequested);

        _clock.Advance(TimeSpan.FromTicks(1));
        var r = await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        var feature = Assert.Single(r.Features).Feature;
        Assert.Equal(ChainSource.Degraded, feature.Source);
        Assert.Equal(timeout.TotalMilliseconds, feature.GenerationLatencyMs);
        Assert.Equal(1, _counters.DegradedFeatures);
        Assert.True(r.AwaitsOutcome);
        Assert.Equal(0, _clock.ActiveTimers);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_swallowed_as_degraded()
    {
        var pipeline = NewPipeline(new RecordingGenerator { Hang = true });
        using var cts = new CancellationTokenSource();

        var pending = pipeline.ProcessAsync(Imp("imp1", T0), "src", cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await pending);
        Assert.Equal(0, _counters.DegradedFeatures);
    }

    [Fact]
    public async Task Fresh_feature_latency_is_measured_on_the_time_provider()
    {
        var generator = new RecordingGenerator { OnSample = () => _clock.Advance(TimeSpan.FromMilliseconds(250)) };
        var pipeline = NewPipeline(generator);

        var r = await Process(pipeline, Imp("imp1", T0));

        Assert.Equal(250, r.Features[0].Feature.GenerationLatencyMs);
    }

    [Fact]
    public async Task Outcomes_are_labelled_as_the_watermark_advances_and_flush_labels_the_rest()
    {
        var pipeline = NewPipeline(new RecordingGenerator());
        var deadline = T0 + TimeSpan.FromMinutes(35);

        await Process(pipeline, Imp("imp1", T0));
        await Process(pipeline, Imp("imp2", T0.AddMinutes(1), "jazz2"));
        await Process(pipeline, Imp("other", T0.AddMinutes(1), "crime1", user: "u2"));
        var clicked = await Process(pipeline, ClickOn("imp2", T0.AddMinutes(2), "jazz2"));
        var atDeadline = await Process(pipeline, Imp("imp3", deadline, "crime1"));
        var pastDeadline = await Process(pipeline, new Comment("cm", "u2", "jazz1", deadline.AddTicks(1), "hm"));

        var click = Assert.Single(clicked.Outcomes);
        Assert.Equal(("imp2", OutcomeLabel.Clicked, "e-imp2"), (click.Outcome.ImpressionId, click.Outcome.Label, click.ImpressionOrigin));
        Assert.Empty(atDeadline.Outcomes);
        var expired = Assert.Single(pastDeadline.Outcomes);
        Assert.Equal(("imp1", OutcomeLabel.NotClicked, "e-imp1"), (expired.Outcome.ImpressionId, expired.Outcome.Label, expired.ImpressionOrigin));
        Assert.Equal(deadline.AddTicks(1), pipeline.Watermark);
        Assert.Equal(2, pipeline.OpenImpressions);

        var flushed = await pipeline.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["imp3", "other"], flushed.Outcomes.Select(o => o.Outcome.ImpressionId).Order());
        Assert.All(flushed.Outcomes, o => Assert.Equal(OutcomeLabel.NotClicked, o.Outcome.Label));
        Assert.Empty(flushed.Features);
        Assert.Equal(0, pipeline.OpenImpressions);
        Assert.Empty((await pipeline.FlushAsync(TestContext.Current.CancellationToken)).Outcomes);
        Assert.Equal((1, 3), (_counters.LabelsClicked, _counters.LabelsNotClicked));
    }

    [Fact]
    public async Task Older_events_do_not_move_the_watermark_back()
    {
        var pipeline = NewPipeline(new RecordingGenerator());
        await Process(pipeline, Imp("imp1", T0.AddHours(1)));
        await Process(pipeline, Imp("imp0", T0, "jazz2"));

        Assert.Equal(T0.AddHours(1), pipeline.Watermark);
    }

    [Fact]
    public async Task A_click_before_its_impression_is_labelled_when_the_impression_arrives()
    {
        var pipeline = NewPipeline(new RecordingGenerator());

        var early = await Process(pipeline, ClickOn("imp1", T0.AddMinutes(1)));
        var r = await Process(pipeline, Imp("imp1", T0));

        Assert.Empty(early.Outcomes);
        var outcome = Assert.Single(r.Outcomes);
        Assert.Equal((OutcomeLabel.Clicked, "e-imp1"), (outcome.Outcome.Label, outcome.ImpressionOrigin));
        Assert.Single(r.Features);
        Assert.True(r.AwaitsOutcome);
        Assert.Equal(0, pipeline.OpenImpressions);
    }

    [Fact]
    public async Task Labelled_outcomes_are_remembered_in_the_users_history()
    {
        var pipeline = NewPipeline(new RecordingGenerator());

        await Process(pipeline, Imp("imp1", T0));
        await Process(pipeline, Imp("imp2", T0.AddMinutes(1), "jazz2"));
        await Process(pipeline, ClickOn("imp2", T0.AddMinutes(2), "jazz2"));
        await Process(pipeline, Imp("far", T0.AddHours(2), "crime1", user: "u2"));

        Assert.Equal(
            [new LabelledOutcome("imp2", "jazz2", true, T0.AddMinutes(1)), new LabelledOutcome("imp1", "jazz1", false, T0)],
            pipeline.Users.Find("u1")!.Outcomes);
        Assert.Empty(pipeline.Users.Find("u2")!.Outcomes);
        await pipeline.FlushAsync(TestContext.Current.CancellationToken);
        Assert.Equal([new LabelledOutcome("far", "crime1", false, T0.AddHours(2))], pipeline.Users.Find("u2")!.Outcomes);
    }

    [Fact]
    public async Task Works_end_to_end_with_generator_reflector_and_validator()
    {
        var generator = new RecordingGenerator();
        var reflector = new ScriptedReflector { Verdict = d => d.Refinements == 0 ? ScriptedReflector.Reject(d) : Reflection.Accept() };
        var validator = new ScriptedValidator { Score = (d, item) => item.Categories.Contains("crime") ? 0.25 : 0.75 };
        var pipeline = NewPipeline(generator, Options(maxNewEvents: 2), validator, reflector);

        await Process(pipeline, Imp("imp1", T0));
        await Process(pipeline, ClickOn("imp1", T0.AddMinutes(1)));
        var r = await Process(pipeline, Imp("imp2", T0.AddMinutes(2), "crime1"));

        var feature = Assert.Single(r.Features).Feature;
        var chain = Assert.Single(r.Chains).Chain;
        Assert.Equal(ChainSource.Fresh, feature.Source);
        Assert.Empty(feature.DegradedRoles);
        Assert.Equal(RecordingGenerator.GeneratorVersion, feature.GeneratorVersion);
        Assert.Equal(chain.Versions, feature.Versions);
        Assert.Equal(ScriptedValidator.ValidatorVersion, feature.Versions.Validator);
        // Written from the history (jazz), never from the item being ranked (crime), refined once.
        Assert.Contains("jazz", feature.ChainText, StringComparison.Ordinal);
        Assert.DoesNotContain("crime", feature.ChainText, StringComparison.Ordinal);
        Assert.EndsWith("(refined)", feature.ChainText, StringComparison.Ordinal);
        Assert.Equal(ChainIds.For("u1", 2, RecordingGenerator.GeneratorVersion), feature.ChainId);
        Assert.Equal(0.25, feature.ValidatorScore);
        Assert.Equal((2, 4, 4, 4), (_counters.Generations, _counters.ChainsGenerated, _counters.ReflectionRejections, _counters.ChainsRefined));
    }

    [Fact]
    public async Task The_validator_score_of_the_served_chain_lands_in_fresh_and_cached_features()
    {
        var validator = new ScriptedValidator { Score = (_, item) => item.ItemId == "jazz1" ? 0.8 : 0.3 };
        var pipeline = NewPipeline(new RecordingGenerator(), validator: validator);

        var fresh = await Process(pipeline, Imp("imp1", T0, "jazz1"));
        var cached = await Process(pipeline, Imp("imp2", T0.AddMinutes(1), "jazz2"));

        Assert.Equal((ChainSource.Fresh, 0.8), (fresh.Features[0].Feature.Source, fresh.Features[0].Feature.ValidatorScore));
        Assert.Equal((ChainSource.Cached, 0.3), (cached.Features[0].Feature.Source, cached.Features[0].Feature.ValidatorScore));
        // No held-out outcomes, so only the pipeline asked: the served chain, on the impressed item alone,
        // with a request that does not hold the impression being scored.
        Assert.Equal(2, validator.Calls.Count);
        var chain = fresh.Chains[0].Chain;
        Assert.All(validator.Calls, c => Assert.Equal(chain.Text, c.Chain.Text));
        Assert.Equal(chain.Claims, validator.Calls[0].Chain.Claims);
        var scored = Assert.Single(validator.Calls[1].Items);
        Assert.Equal(("jazz2", "Jazz Two"), (scored.ItemId, scored.Title));
        Assert.Equal(["jazz", "live"], scored.Categories);
        Assert.Equal(["jazz1"], validator.Calls[1].Request.History.Select(h => h.ItemId));
        Assert.All(new[] { fresh, cached }, r => Assert.Empty(r.Features[0].Feature.DegradedRoles));
        Assert.Equal(0, _counters.DegradedFeatures);
    }

    [Fact]
    public async Task A_failing_validator_serves_the_chain_degraded_with_the_validator_role()
    {
        var pipeline = NewPipeline(new RecordingGenerator(), validator: ScriptedValidator.Failing());

        var fresh = await Process(pipeline, Imp("imp1", T0));
        var cached = await Process(pipeline, Imp("imp2", T0.AddMinutes(1)));

        var chain = Assert.Single(fresh.Chains).Chain;
        Assert.Empty(chain.DegradedRoles); // the writer had no held-out outcomes to ask the validator about
        foreach (var feature in new[] { fresh.Features[0].Feature, cached.Features[0].Feature })
        {
            Assert.Equal(ChainSource.Degraded, feature.Source);
            Assert.Equal(["validator"], feature.DegradedRoles);
            Assert.Null(feature.ValidatorScore);
            Assert.Equal(chain.ChainId, feature.ChainId);
            Assert.Equal(chain.Text, feature.ChainText);
        }
        Assert.Equal((1, 2), (_counters.Generations, _counters.DegradedFeatures));
    }

    [Fact]
    public async Task A_role_failing_inside_the_writer_degrades_the_feature_until_a_chain_is_made_without_failure()
    {
        var down = true;
        var reflector = new ScriptedReflector { Verdict = _ => down ? throw new InvalidOperationException("reflector down") : Reflection.Accept() };
        var pipeline = NewPipeline(new RecordingGenerator(), reflector: reflector);

        var fresh = await Process(pipeline, Imp("imp1", T0));
        _clock.Advance(TimeSpan.FromMinutes(1)); // past the user's retry backoff
        var whileDown = await Process(pipeline, Imp("imp2", T0.AddMinutes(1)));
        down = false;
        _clock.Advance(TimeSpan.FromMinutes(1));
        var recovered = await Process(pipeline, Imp("imp3", T0.AddMinutes(2)));
        var cached = await Process(pipeline, Imp("imp4", T0.AddMinutes(3)));

        var chain = Assert.Single(fresh.Chains).Chain;
        Assert.Equal(["reflection"], chain.DegradedRoles);
        var feature = fresh.Features[0].Feature;
        Assert.Equal((ChainSource.Degraded, chain.ChainId, 0.5), (feature.Source, feature.ChainId, feature.ValidatorScore));
        Assert.Equal(["reflection"], feature.DegradedRoles);
        // A degraded chain is not served from cache as if it were whole: it is rewritten at the next impression past the backoff.
        Assert.Single(whileDown.Chains);
        Assert.Equal(["reflection"], whileDown.Features[0].Feature.DegradedRoles);
        Assert.Empty(Assert.Single(recovered.Chains).Chain.DegradedRoles);
        Assert.Equal(ChainSource.Fresh, recovered.Features[0].Feature.Source);
        Assert.Equal(ChainSource.Cached, cached.Features[0].Feature.Source);
        Assert.Empty(cached.Features[0].Feature.DegradedRoles);
        Assert.Equal((3, 2), (_counters.Generations, _counters.DegradedFeatures));
    }

    [Fact]
    public async Task The_newest_outcomes_are_held_out_of_the_generators_request_and_recorded_on_the_chain()
    {
        var generator = new RecordingGenerator();
        var pipeline = NewPipeline(generator, Options(maxNewEvents: 3), writer: WriterOptions(heldOut: 1));

        await Process(pipeline, Imp("imp1", T0, "crime1"));
        await Process(pipeline, Imp("imp2", T0.AddMinutes(1), "jazz1"));
        await Process(pipeline, ClickOn("imp2", T0.AddMinutes(2)));
        var r = await Process(pipeline, Imp("imp3", T0.AddMinutes(3), "jazz2"));

        var request = generator.Requests[1];
        var heldOut = Assert.Single(request.HeldOut);
        Assert.Equal(("imp2", "jazz1", true, T0.AddMinutes(1)), (heldOut.ImpressionId, heldOut.Item.ItemId, heldOut.Clicked, heldOut.ImpressionTime));
        Assert.Equal([("crime1", Signal.Impression)], request.History.Select(h => (h.ItemId, h.Signal)));
        Assert.Equal(["imp2"], r.Chains[0].Chain.HeldOutImpressionIds);
        Assert.All(r.Chains[0].Chain.Samples, s => Assert.Equal(0.5, s.HeldOutReward));
    }

    [Fact]
    public async Task Validator_auc_accumulates_only_labelled_scored_impressions_from_evaluate_from_on()
    {
        var validator = new ScriptedValidator
        {
            Score = (_, item) => item.ItemId switch
            {
                "jazz1" => 0.9,
                "crime1" => 0.1,
                _ => throw new InvalidOperationException("validator down"),
            },
        };
        var pipeline = NewPipeline(new RecordingGenerator(), validator: validator);
        _counters.EvaluateFrom = T0.AddMinutes(1);

        await Process(pipeline, Imp("imp0", T0, "crime1"));                      // before EvaluateFrom
        await Process(pipeline, ClickOn("imp0", T0.AddSeconds(30), "crime1"));   // (would make the AUC 0.5)
        await Process(pipeline, Imp("imp1", T0.AddMinutes(1), "jazz1"));
        await Process(pipeline, ClickOn("imp1", T0.AddSeconds(90), "jazz1"));
        await Process(pipeline, Imp("imp2", T0.AddMinutes(2), "crime1"));        // labelled at the flush
        var failed = await Process(pipeline, Imp("imp3", T0.AddMinutes(3), "jazz2")); // not scored

        Assert.Equal(["validator"], failed.Features[0].Feature.DegradedRoles);
        Assert.Equal(1, _counters.Validator.Count);
        Assert.Null(_counters.Validator.Auc());

        await pipeline.FlushAsync(TestContext.Current.CancellationToken);

        Assert.Equal((2, 2), (_counters.LabelsClicked, _counters.LabelsNotClicked));
        Assert.Equal(2, _counters.Validator.Count);
        Assert.Equal(1.0, _counters.Validator.Auc());
    }

    // p(click) of each sample (index 0 and 1) on each item.
    private static ScriptedValidator SampleValidator() => new()
    {
        Score = (d, item) => (item.ItemId, RecordingGenerator.IndexOf(d)) switch
        {
            ("jazz1", 0) => 0.3,
            ("jazz1", _) => 0.9,
            ("jazz2", 0) => 0.6,
            ("jazz2", _) => 0.2,
            ("crime1", 0) => 0.5,
            (_, _) => 0.1,
        },
    };

    [Fact]
    public async Task Rewards_count_outcomes_after_the_selection_but_never_a_held_out_one()
    {
        var pipeline = NewPipeline(new RecordingGenerator(), Options(maxNewEvents: 2), SampleValidator(), writer: WriterOptions(heldOut: 5));

        await Process(pipeline, Imp("imp1", T0, "jazz1"));                 // chain A, no held-out: sample 0 (most likely)
        Assert.Null(_counters.MeanSelectedReward);
        Assert.Null(_counters.MeanSampledReward);

        await Process(pipeline, ClickOn("imp1", T0, "jazz1"));             // after A's selection: 0.3 selected, (0.3 + 0.9) / 2 sampled
        Assert.Equal(1, _counters.RewardPairs);
        Assert.Equal(0.3, _counters.MeanSelectedReward!.Value, 12);
        Assert.Equal(0.6, _counters.MeanSampledReward!.Value, 12);

        var b = (await Process(pipeline, Imp("imp2", T0, "crime1"))).Chains[0].Chain; // chain B, selected on imp1
        Assert.Equal(["imp1"], b.HeldOutImpressionIds);
        Assert.Equal((1, T0), (b.SelectedIndex, b.GeneratedAt));

        await Process(pipeline, new Click("x1", "u2", "x", T0.AddHours(1))); // imp2 expires unclicked: 0.9 selected, (0.5 + 0.9) / 2 sampled
        Assert.Equal(2, _counters.RewardPairs);

        // imp1 is delivered again once the join has forgotten it, and labelled again. Its impression time is
        // not before B's selection, but B was selected on it: no reward.
        await Process(pipeline, Imp("imp1", T0, "jazz1"));
        var relabelled = await Process(pipeline, new Click("x2", "u2", "x", T0.AddHours(2)));
        Assert.Equal("imp1", Assert.Single(relabelled.Outcomes).Outcome.ImpressionId);
        Assert.Same(b, pipeline.Chains.Find("u1"));

        Assert.Equal(2, _counters.RewardPairs);
        Assert.Equal((0.3 + 0.9) / 2, _counters.MeanSelectedReward!.Value, 12);
        Assert.Equal((0.6 + 0.7) / 2, _counters.MeanSampledReward!.Value, 12);
    }

    [Fact]
    public async Task Rewards_skip_outcomes_of_impressions_made_before_the_selection()
    {
        var pipeline = NewPipeline(new RecordingGenerator(), Options(maxNewEvents: 1000, ttl: TimeSpan.FromMinutes(2)), SampleValidator());

        await Process(pipeline, Imp("imp1", T0, "jazz1"));                         // chain A
        await Process(pipeline, Imp("impX", T0.AddSeconds(30), "jazz2"));          // served by A
        var b = (await Process(pipeline, Imp("imp2", T0.AddMinutes(2), "crime1"))).Chains[0].Chain; // chain B (A aged out)
        Assert.Equal(T0.AddMinutes(2), b.GeneratedAt);

        var early = await Process(pipeline, ClickOn("impX", T0.AddMinutes(3), "jazz2"));
        Assert.Single(early.Outcomes);
        Assert.Equal(0, _counters.RewardPairs);
        Assert.Null(_counters.MeanSelectedReward);

        await Process(pipeline, ClickOn("imp2", T0.AddMinutes(4), "crime1"));       // 0.5 selected, (0.5 + 0.1) / 2 sampled
        Assert.Equal(1, _counters.RewardPairs);
        Assert.Equal(0.5, _counters.MeanSelectedReward!.Value, 12);
        Assert.Equal(0.3, _counters.MeanSampledReward!.Value, 12);
    }

    [Fact]
    public async Task Labelled_outcomes_become_validator_records_and_a_preference_attributed_to_the_impression()
    {
        var options = Options();
        options.Feedback = new FeedbackOptions { MinLabels = 2 };
        var pipeline = NewPipeline(new RecordingGenerator(), options, SampleValidator());

        var served = await Process(pipeline, Imp("imp1", T0, "jazz1"));
        await Process(pipeline, Imp("imp2", T0.AddMinutes(1), "jazz2"));
        var clicked = await Process(pipeline, ClickOn("imp1", T0.AddMinutes(2), "jazz1"));
        var expired = await Process(pipeline, new Click("x1", "u2", "x", T0.AddHours(1)));   // imp2 expires unclicked

        var chain = served.Chains[0].Chain;
        var (first, firstSource) = Assert.Single(clicked.ValidatorRecords);
        Assert.Equal(("imp1", chain.ChainId, chain.SelectedIndex, true, 0.3), (first.ImpressionId, first.GenerationId, first.SampleIndex, first.Clicked, first.Score));
        Assert.Equal("e-imp1", firstSource);
        Assert.Empty(clicked.Preferences);
        var (second, secondSource) = Assert.Single(expired.ValidatorRecords);
        Assert.Equal(("imp2", false, "e-imp2"), (second.ImpressionId, second.Clicked, secondSource));

        // Rewards: sample 0 earned 0.3 (click, p 0.3) and 0.4 (no click, p 0.6); sample 1 earned 0.9 and 0.8.
        var (preference, source) = Assert.Single(expired.Preferences);
        Assert.Equal("e-imp2", source);
        Assert.Equal((chain.ChainId, 1), (preference.GenerationId, preference.ChosenIndex));
        Assert.Equal([0], preference.RejectedIndexes);
        Assert.Equal(0.85 - 0.35, preference.Margin, 12);
        Assert.Equal((1, 2), (_counters.PreferenceRecords, _counters.ValidatorRecords));
    }

    [Fact]
    public async Task Feedback_can_be_turned_off()
    {
        var options = Options();
        options.Feedback = new FeedbackOptions { Enabled = false, MinLabels = 1 };
        var pipeline = NewPipeline(new RecordingGenerator(), options, SampleValidator());

        await Process(pipeline, Imp("imp1", T0, "jazz1"));
        var clicked = await Process(pipeline, ClickOn("imp1", T0.AddMinutes(2), "jazz1"));

        Assert.Single(clicked.Outcomes);
        Assert.Empty(clicked.ValidatorRecords);
        Assert.Empty(clicked.Preferences);
    }

    [Fact]
    public async Task Rewards_skip_outcomes_before_evaluate_from()
    {
        var pipeline = NewPipeline(new RecordingGenerator(), validator: SampleValidator());
        _counters.EvaluateFrom = T0.AddHours(1);

        await Process(pipeline, Imp("imp1", T0, "jazz1"));
        var r = await Process(pipeline, ClickOn("imp1", T0.AddMinutes(1), "jazz1"));

        Assert.Single(r.Outcomes);
        Assert.Equal(0, _counters.RewardPairs);
        Assert.Null(_counters.MeanSampledReward);
        Assert.Equal(0, _counters.Validator.Count);
    }

    [Fact]
    public async Task Rejects_unknown_event_types()
    {
        var pipeline = NewPipeline(new RecordingGenerator());
        await Assert.ThrowsAsync<ArgumentException>(async () => await Process(pipeline, new OtherEvent("x", "u1", "i1", T0)));
    }

    private sealed record OtherEvent(string EventId, string UserId, string ItemId, DateTimeOffset EventTime)
        : BehaviourEvent(EventId, UserId, ItemId, EventTime);
}

public sealed class PartitionPipelineRegressionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    // Regression (fixed): UserStateStore evicts the least recently active user at MaxUsersPerPartition, but the
    // pipeline's ChainCache is never told (ChainCache.Remove, documented "the user was evicted from
    // state", has no caller). So (a) the chain cache grows without bound, defeating the memory bound,
    // and (b) a returning user restarts at history version 0 while the cached chain has a higher
    // HistoryVersion: historyVersion - chain.HistoryVersion is negative, so the forgotten chain is served
    // as Cached until the new history has absorbed chain.HistoryVersion + MaxNewEvents events.
    [Fact]
    public async Task An_evicted_user_gets_a_fresh_chain_when_they_come_back()
    {
        var options = new PipelineOptions
        {
            UserState = new UserStateOptions { MaxUsersPerPartition = 1 },
            Chains = new ChainFreshnessOptions { MaxNewEvents = 2 },
        };
        var pipeline = new PartitionPipeline<string>(
            options,
            new ItemCatalog(),
            new GenerationOrchestrator(new GenerationOptions(), new ChainRoles(new RecordingGenerator(), new ScriptedValidator())),
            new FakeTimeProvider(),
            new PipelineCounters());
        for (var i = 0; i < 5; i++)
            await pipeline.ProcessAsync(new Click($"c{i}", "u1", "i1", T0.AddMinutes(i)), "x", CancellationToken.None);
        await pipeline.ProcessAsync(new Impression("e1", "u1", "i1", T0.AddMinutes(10), "imp1"), "x", CancellationToken.None); // chain at version 5
        await pipeline.ProcessAsync(new Impression("e2", "u2", "i1", T0.AddMinutes(11), "imp2"), "x", CancellationToken.None); // evicts u1

        var back = await pipeline.ProcessAsync(new Impression("e3", "u1", "i1", T0.AddMinutes(12), "imp3"), "x", CancellationToken.None);

        Assert.Equal(1, pipeline.Users.Find("u1")!.Version); // u1's history restarted
        Assert.Equal(ChainSource.Fresh, back.Features[0].Feature.Source);
    }
}
