using Xunit;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Lanes;
using TrackRec.Streaming.Tests.Chains;

namespace TrackRec.Streaming.Tests.Lanes;

public sealed class SlowLaneTests
{
    private static GenerationOrchestrator Writer(IChainGenerator generator) =>
        new(new GenerationOptions { Samples = 2, HeldOutOutcomes = 0, ReflectionRounds = 0, ExplorationCandidates = 0 }, new ChainRoles(generator, new ScriptedValidator()));

    [Fact]
    public async Task Generations_run_at_most_the_budget_at_once_and_the_rest_wait_queued()
    {
        var generator = new GatedGenerator();
        var lane = new SlowLane(Writer(generator), new GenerationQueue(100), generationConcurrency: 2, feedbackConcurrency: 1, TimeSpan.FromMinutes(1));
        using var stop = new CancellationTokenSource();
        var running = lane.RunAsync(stop.Token);
        var tickets = Enumerable.Range(0, 5).Select(i => Tickets.For(lane.Queue, $"u{i}")).ToList();
        foreach (var t in tickets)
            Assert.True(lane.Queue.TryEnqueue(t));

        await generator.WaitForStartsAsync(2);
        // Both slots are taken: the loop cannot take a third ticket until one frees.
        Assert.Equal(2, lane.GenerationsInFlight);
        Assert.Equal(3, lane.Queue.Depth);

        generator.ReleaseOne();
        await generator.WaitForStartsAsync(1);
        Assert.Equal(2, lane.Queue.Depth);
        Assert.Equal(3, generator.Calls);

        generator.ReleaseOne();
        await generator.WaitForStartsAsync(1);
        generator.ReleaseOne();
        await generator.WaitForStartsAsync(1);
        generator.ReleaseOne();
        generator.ReleaseOne();
        var done = await Task.WhenAll(tickets.Select(t => t.Done)).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.All(done, c => Assert.NotNull(c.Generation));
        Assert.Equal(5, generator.Calls);
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task A_closed_gate_starts_no_generation_until_it_opens()
    {
        var clock = new TrackedFakeTimeProvider();
        var generator = new GatedGenerator();
        var gate = new SwitchGate { IsOpen = false };
        var lane = new SlowLane(Writer(generator), new GenerationQueue(100, clock), 4, 1, TimeSpan.FromMinutes(1), gate, TimeSpan.FromSeconds(1), clock);
        using var stop = new CancellationTokenSource();
        var running = lane.RunAsync(stop.Token);
        var ticket = Tickets.For(lane.Queue, "u1");
        lane.Queue.TryEnqueue(ticket);

        // The loop is parked on the gate's poll timer; several polls pass with the gate closed.
        for (var i = 0; i < 3; i++)
        {
            Assert.True(SpinWait.SpinUntil(() => clock.ActiveTimers > 0, TimeSpan.FromSeconds(30)));
            clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal(0, generator.Calls);
        Assert.Equal(1, lane.Queue.Depth);

        gate.IsOpen = true;
        Assert.True(SpinWait.SpinUntil(() => clock.ActiveTimers > 0, TimeSpan.FromSeconds(30)));
        clock.Advance(TimeSpan.FromSeconds(1));
        await generator.WaitForStartsAsync(1);
        generator.ReleaseOne();
        Assert.NotNull((await ticket.Done.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken)).Generation);
        await stop.CancelAsync();
        await running;
    }
}
