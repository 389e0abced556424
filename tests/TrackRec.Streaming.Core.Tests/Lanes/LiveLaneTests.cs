using Microsoft.Extensions.Time.Testing;
using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Lanes;
using TrackRec.Streaming.Outcomes;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Tests.Chains;
using Xunit;

namespace TrackRec.Streaming.Tests.Lanes;

/// <summary>The partition pipeline on a running slow lane, in live mode: features never wait for model work.</summary>
public sealed class LiveLaneTests : IAsyncDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _clock = new();
    private readonly PipelineCounters _counters = new();
    private readonly ItemCatalog _catalog = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;
    private readonly SemaphoreSlim _woken = new(0);

    public LiveLaneTests() => _catalog.Upsert(new CatalogItem("jazz1", "Jazz One", ["jazz"]));

    private (PartitionPipeline<string> Pipeline, SlowLane Lane) Start(IChainGenerator generator, IModelGate? gate = null, int maxNewEvents = 20, TimeSpan? freshWait = null, int generationConcurrency = 4)
    {
        var writer = new GenerationOrchestrator(new GenerationOptions { Samples = 2, HeldOutOutcomes = 0, ReflectionRounds = 0, ExplorationCandidates = 0 }, new ChainRoles(generator, new ScriptedValidator()));
        var options = new PipelineOptions
        {
            Chains = new ChainFreshnessOptions { MaxNewEvents = maxNewEvents, GenerationTimeout = TimeSpan.FromMinutes(5) },
            Attribution = new AttributionOptions { Window = TimeSpan.FromMinutes(30), Grace = TimeSpan.FromMinutes(5) },
        };
        var lanes = new LaneOptions { Mode = LaneMode.Live, FreshWait = freshWait ?? TimeSpan.Zero, RetryBackoff = TimeSpan.FromSeconds(10), MaxRetryBackoff = TimeSpan.FromMinutes(5) };
        var lane = new SlowLane(writer, new GenerationQueue(1000, _clock), generationConcurrency, 4, options.Chains.GenerationTimeout, gate, TimeSpan.FromSeconds(1), _clock);
        _running = lane.RunAsync(_stop.Token);
        _partition = () => new PartitionPipeline<string>(options, _catalog, writer, _clock, _counters, lane, lanes) { Wake = () => _woken.Release() };
        return (_partition(), lane);
    }

    // Another partition of the worker Start built: its own pipeline on the same slow lane.
    private Func<PartitionPipeline<string>> _partition = () => throw new InvalidOperationException("Start first");

    private static Impression Imp(string id, DateTimeOffset at, string user = "u1") => new("e-" + id, user, "jazz1", at, id);

    private static ValueTask<PipelineResult<string>> Process(PartitionPipeline<string> pipeline, BehaviourEvent e) =>
        pipeline.ProcessAsync(e, e.EventId, TestContext.Current.CancellationToken);

    private async Task WokenAsync() => Assert.True(await _woken.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), "the lane should have woken the partition");

    [Fact]
    public async Task A_feature_is_served_while_its_generation_is_still_running_and_the_chain_follows_through_the_inbox()
    {
        var generator = new GatedGenerator();
        var (pipeline, _) = Start(generator);

        // The generator has not answered: the impression's feature is out anyway, with no chain, and its record held.
        var first = await Process(pipeline, Imp("imp1", T0)).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var feature = Assert.Single(first.Features).Feature;
        Assert.Equal(ChainSource.None, feature.Source);
        Assert.Null(feature.ChainId);
        Assert.Null(feature.ChainAge);
        Assert.Equal(["e-imp1"], first.Holds);
        Assert.Empty(first.Chains);

        // A second impression while the generation runs asks for nothing more.
        await generator.WaitForStartsAsync(1);
        var second = await Process(pipeline, Imp("imp2", T0.AddMinutes(1)));
        Assert.Equal(ChainSource.None, second.Features[0].Feature.Source);
        Assert.Empty(second.Holds);
        Assert.Equal(1, generator.Calls);

        generator.ReleaseOne();
        await WokenAsync();
        Assert.True(pipeline.HasCompletions);
        var drained = pipeline.Drain();
        var (chain, trigger) = Assert.Single(drained.Chains);
        Assert.Equal("e-imp1", trigger);
        Assert.Equal(["e-imp1"], drained.Releases);

        var third = await Process(pipeline, Imp("imp3", T0.AddMinutes(2)));
        var served = third.Features[0].Feature;
        Assert.Equal((ChainSource.Cached, chain.ChainId), (served.Source, served.ChainId));
        Assert.Equal(TimeSpan.FromMinutes(2), served.ChainAge);
    }

    [Fact]
    public async Task A_feature_waits_for_a_generation_the_lane_starts_at_once_and_is_served_fresh()
    {
        var generator = new GatedGenerator();
        // The fake clock never moves, so the fresh wait ends only when the generation does.
        var (pipeline, _) = Start(generator, freshWait: TimeSpan.FromMinutes(1), generationConcurrency: 1);

        var serving = Process(pipeline, Imp("imp1", T0)).AsTask();
        await generator.WaitForStartsAsync(1);
        Assert.False(serving.IsCompleted);
        generator.ReleaseOne();
        var served = await serving.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(ChainSource.Fresh, Assert.Single(served.Features).Feature.Source);
    }

    [Fact]
    public async Task A_feature_does_not_wait_behind_a_busy_lane()
    {
        var generator = new GatedGenerator();
        var (pipeline, lane) = Start(generator, freshWait: TimeSpan.FromMinutes(1), generationConcurrency: 1);
        var first = Process(pipeline, Imp("imp1", T0, user: "u1")).AsTask();
        await generator.WaitForStartsAsync(1);

        // u1's generation holds the only slot: u2's (another partition's user) would queue behind it, so u2's
        // feature goes out now, with no chain, and the request stays queued. (A wait here held a partition a full
        // FreshWait per stale impression.)
        var second = await Process(_partition(), Imp("imp2", T0, user: "u2")).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(ChainSource.None, Assert.Single(second.Features).Feature.Source);
        Assert.Equal(["e-imp2"], second.Holds);
        Assert.Equal(1, lane.Queue.Depth);
        generator.ReleaseOne();
        await first.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        await generator.WaitForStartsAsync(1);
        generator.ReleaseOne();
    }

    [Fact]
    public async Task A_failing_generator_is_asked_once_per_backoff_not_once_per_impression()
    {
        var generator = new GatedGenerator { Fail = true };
        var (pipeline, _) = Start(generator);

        await Process(pipeline, Imp("imp0", T0));
        await generator.WaitForStartsAsync(1);
        generator.ReleaseOne();
        await WokenAsync();

        // Fifty impressions inside the backoff: every one served, marked degraded by the generator, none asks again.
        var features = new List<ChainFeature>();
        for (var i = 1; i <= 50; i++)
            features.AddRange((await Process(pipeline, Imp($"imp{i}", T0.AddSeconds(i)))).Features.Select(f => f.Feature));
        Assert.Equal(50, features.Count);
        Assert.All(features, f => Assert.Equal((ChainSource.Degraded, "generator"), (f.Source, Assert.Single(f.DegradedRoles))));
        Assert.Equal(1, generator.Calls);
        Assert.Equal(1, _counters.FailedGenerations);

        // Past the backoff the user is tried again, once.
        _clock.Advance(TimeSpan.FromSeconds(10));
        var retry = await Process(pipeline, Imp("imp51", T0.AddSeconds(51)));
        Assert.Equal(["e-imp51"], retry.Holds);
        await generator.WaitForStartsAsync(1);
        Assert.Equal(2, generator.Calls);
    }

    [Fact]
    public async Task An_open_circuit_starts_no_generation_and_marks_the_features_that_need_one()
    {
        var generator = new GatedGenerator();
        var gate = new SwitchGate { IsOpen = false };
        var (pipeline, lane) = Start(generator, gate);

        var r = await Process(pipeline, Imp("imp1", T0));

        var feature = Assert.Single(r.Features).Feature;
        Assert.Equal(ChainSource.Degraded, feature.Source);
        Assert.Equal(["generator"], feature.DegradedRoles);
        Assert.Equal(1, lane.Queue.Depth);
        Assert.Equal(0, generator.Calls);
    }

    [Fact]
    public async Task Flush_waits_for_the_generations_a_bounded_run_asked_for()
    {
        var generator = new GatedGenerator();
        var (pipeline, _) = Start(generator);
        await Process(pipeline, Imp("imp1", T0));
        await generator.WaitForStartsAsync(1);

        var flushing = pipeline.FlushAsync(TestContext.Current.CancellationToken).AsTask();
        generator.ReleaseOne();
        var flushed = await flushing.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Single(flushed.Chains);
        Assert.Equal(["e-imp1"], flushed.Releases);
        Assert.Single(flushed.Outcomes);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
