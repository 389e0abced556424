using Microsoft.Extensions.Time.Testing;
using Xunit;
using TrackRec.Streaming.Lanes;

namespace TrackRec.Streaming.Tests.Lanes;

public sealed class GenerationQueueTests
{
    [Fact]
    public void A_newer_request_of_a_user_supersedes_the_older_and_keeps_its_age()
    {
        var clock = new FakeTimeProvider();
        var queue = new GenerationQueue(10, clock);
        var completions = new List<GenerationCompletion>();
        var first = Tickets.For(queue, "u1", deliver: completions.Add, enqueuedAt: clock.GetTimestamp(), version: 1);
        Assert.True(queue.TryEnqueue(first));
        clock.Advance(TimeSpan.FromSeconds(5));
        var second = Tickets.For(queue, "u1", deliver: completions.Add, enqueuedAt: clock.GetTimestamp(), version: 2);
        Assert.True(queue.TryEnqueue(second));

        Assert.Equal(1, queue.Depth);
        Assert.Equal(1, queue.Superseded);
        var superseded = Assert.Single(completions);
        Assert.Same(first, superseded.Ticket);
        Assert.True(superseded.Superseded);
        Assert.True(first.Done.IsCompleted);
        Assert.Equal(TimeSpan.FromSeconds(5), queue.OldestAge); // the user has waited since the first request
        Assert.True(queue.TryDequeue(out var next));
        Assert.Same(second, next);
        Assert.Equal(2, next.Request.HistoryVersion);
        Assert.False(queue.TryDequeue(out _));
    }

    [Fact]
    public void Users_without_a_chain_go_first_then_the_stalest_then_the_busiest_then_first_come()
    {
        var queue = new GenerationQueue(10);
        queue.TryEnqueue(Tickets.For(queue, "stale-1.5", staleness: 1.5, traffic: 1));
        queue.TryEnqueue(Tickets.For(queue, "stale-1-busy", staleness: 1, traffic: 9));
        queue.TryEnqueue(Tickets.For(queue, "stale-1-quiet-a", staleness: 1, traffic: 2));
        queue.TryEnqueue(Tickets.For(queue, "no-chain", hasChain: false, staleness: double.PositiveInfinity, traffic: 1));
        queue.TryEnqueue(Tickets.For(queue, "stale-1-quiet-b", staleness: 1, traffic: 2));

        var order = new List<string>();
        while (queue.TryDequeue(out var t))
            order.Add(t.UserId);

        Assert.Equal(["no-chain", "stale-1.5", "stale-1-busy", "stale-1-quiet-a", "stale-1-quiet-b"], order);
    }

    [Fact]
    public void A_full_queue_sheds_new_users_but_still_takes_newer_requests_of_pending_ones()
    {
        var queue = new GenerationQueue(2);
        Assert.True(queue.TryEnqueue(Tickets.For(queue, "a")));
        Assert.True(queue.TryEnqueue(Tickets.For(queue, "b")));

        Assert.False(queue.TryEnqueue(Tickets.For(queue, "c")));
        Assert.True(queue.TryEnqueue(Tickets.For(queue, "a", version: 2)));

        Assert.Equal(2, queue.Depth);
        Assert.Equal(1, queue.Shed);
    }

    [Fact]
    public void A_revoked_partition_loses_its_queued_tickets_and_hears_of_each()
    {
        var queue = new GenerationQueue(10);
        var dropped = new List<GenerationCompletion>();
        queue.TryEnqueue(Tickets.For(queue, "a", owner: "p0", deliver: dropped.Add));
        queue.TryEnqueue(Tickets.For(queue, "b", owner: "p1"));

        Assert.Equal(1, queue.RemoveOwner("p0"));

        Assert.True(Assert.Single(dropped).Superseded);
        Assert.True(queue.TryDequeue(out var left));
        Assert.Equal("b", left.UserId);
        Assert.False(queue.TryDequeue(out _));
    }
}
