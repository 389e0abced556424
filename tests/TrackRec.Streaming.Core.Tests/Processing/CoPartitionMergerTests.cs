using Microsoft.Extensions.Time.Testing;
using TrackRec.Streaming.Processing;
using Xunit;

namespace TrackRec.Streaming.Tests.Processing;

public sealed class CoPartitionMergerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _clock = new();

    private CoPartitionMerger<string> NewMerger(int inputs = 3) => new(inputs, MaxIdle, _clock);

    private static List<(string Item, int Input)> DrainAll(CoPartitionMerger<string> merger)
    {
        var released = new List<(string, int)>();
        while (merger.TryDequeue(out var item, out var input, out _))
            released.Add((item, input));
        return released;
    }

    [Fact]
    public void Releases_in_timestamp_order_across_inputs()
    {
        var merger = NewMerger();
        merger.Enqueue(0, "imp@5", T0.AddSeconds(5));
        merger.Enqueue(0, "imp@9", T0.AddSeconds(9));
        merger.Enqueue(1, "click@1", T0.AddSeconds(1));
        merger.Enqueue(1, "click@7", T0.AddSeconds(7));
        merger.Enqueue(2, "comment@6", T0.AddSeconds(6));
        for (var i = 0; i < 3; i++)
            merger.MarkAtEnd(i);

        var released = DrainAll(merger);

        Assert.Equal(
            [("click@1", 1), ("imp@5", 0), ("comment@6", 2), ("click@7", 1), ("imp@9", 0)],
            released);
        Assert.Equal(0, merger.TotalBuffered);
        Assert.True(merger.IsDrainedToEnd());
    }

    [Fact]
    public void Keeps_per_input_fifo_order_for_equal_timestamps()
    {
        var merger = NewMerger(2);
        merger.Enqueue(1, "b1", T0);
        merger.Enqueue(1, "b2", T0);
        merger.Enqueue(1, "b3", T0);
        merger.Enqueue(0, "a1", T0);
        merger.Enqueue(0, "a2", T0);
        merger.MarkAtEnd(0);
        merger.MarkAtEnd(1);

        var released = DrainAll(merger);

        Assert.Equal(["a1", "a2"], released.Where(r => r.Input == 0).Select(r => r.Item));
        Assert.Equal(["b1", "b2", "b3"], released.Where(r => r.Input == 1).Select(r => r.Item));
        Assert.Equal(5, released.Count);
    }

    [Fact]
    public void Does_not_release_the_same_record_twice()
    {
        var merger = NewMerger(1);
        merger.Enqueue(0, "x", T0);
        Assert.True(merger.TryDequeue(out var item, out var input, out _));
        Assert.Equal(("x", 0), (item, input));
        Assert.False(merger.TryDequeue(out _, out _, out var retry));
        Assert.Null(retry);
    }

    [Fact]
    public void Waits_for_an_empty_input_that_is_not_at_end_until_max_idle_passes_on_the_clock()
    {
        var merger = NewMerger(2);
        merger.Enqueue(1, "click", T0.AddSeconds(-1));
        merger.Enqueue(0, "imp", T0);
        Assert.True(merger.TryDequeue(out var first, out _, out _)); // input 1 has delivered and is now empty
        Assert.Equal("click", first);

        Assert.False(merger.TryDequeue(out _, out var input, out var retry));
        Assert.Equal(-1, input);
        Assert.Equal(MaxIdle, retry);

        _clock.Advance(MaxIdle - TimeSpan.FromMilliseconds(500));
        Assert.False(merger.TryDequeue(out _, out _, out retry));
        Assert.Equal(TimeSpan.FromMilliseconds(500), retry);

        _clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(merger.TryDequeue(out _, out _, out retry));
        Assert.Equal(TimeSpan.FromMilliseconds(1), retry);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(merger.TryDequeue(out var item, out input, out retry));
        Assert.Equal(("imp", 0), (item, input));
        Assert.Null(retry);
    }

    [Fact]
    public void The_shortest_remaining_idle_wait_is_reported()
    {
        var merger = NewMerger(3);
        merger.Enqueue(2, "early-comment", T0.AddSeconds(-1));
        merger.Enqueue(0, "imp", T0);
        merger.Enqueue(1, "click", T0.AddSeconds(5));
        Assert.True(merger.TryDequeue(out var item, out _, out _)); // input 2 delivered and is empty from t=0
        Assert.Equal("early-comment", item);
        Assert.False(merger.TryDequeue(out _, out _, out var retry));
        Assert.Equal(MaxIdle, retry);

        _clock.Advance(TimeSpan.FromSeconds(1.5));
        merger.MarkAtEnd(2);
        Assert.True(merger.TryDequeue(out item, out _, out _)); // "imp"; input 0 now empty since t=1.5
        Assert.Equal("imp", item);
        merger.Enqueue(2, "late-comment", T0.AddSeconds(9));        // input 2 no longer idle, not at end

        _clock.Advance(TimeSpan.FromSeconds(0.5));
        // "click" waits only for input 0 (idle 0.5s of 2s).
        Assert.False(merger.TryDequeue(out _, out _, out retry));
        Assert.Equal(TimeSpan.FromSeconds(1.5), retry);
    }

    [Fact]
    public void An_input_that_has_records_is_compared_not_waited_for()
    {
        var merger = NewMerger(2);
        merger.Enqueue(0, "a", T0.AddSeconds(3));
        merger.Enqueue(1, "b", T0.AddSeconds(1));

        Assert.True(merger.TryDequeue(out var item, out _, out _));
        Assert.Equal("b", item);
        // Input 1 is now empty and not at end: "a" must wait for it.
        Assert.False(merger.TryDequeue(out _, out _, out var retry));
        Assert.Equal(MaxIdle, retry);
    }

    [Fact]
    public void An_input_marked_at_end_is_not_waited_for()
    {
        var merger = NewMerger(3);
        merger.Enqueue(0, "imp", T0);
        merger.MarkAtEnd(1);
        merger.MarkAtEnd(2);

        Assert.True(merger.TryDequeue(out var item, out _, out var retry));
        Assert.Equal("imp", item);
        Assert.Null(retry);
    }

    [Fact]
    public void Enqueue_after_mark_at_end_clears_the_at_end_state()
    {
        var merger = NewMerger(2);
        merger.MarkAtEnd(0);
        merger.MarkAtEnd(1);
        Assert.True(merger.IsDrainedToEnd());

        merger.Enqueue(1, "click", T0.AddSeconds(1));
        Assert.False(merger.IsDrainedToEnd());
        Assert.True(merger.TryDequeue(out var item, out _, out _));
        Assert.Equal("click", item);
        Assert.False(merger.IsDrainedToEnd()); // input 1 is empty but no longer known to be at its end

        merger.Enqueue(0, "imp", T0.AddSeconds(2));
        // Input 1 is empty and not at end any more, so it is waited for.
        Assert.False(merger.TryDequeue(out _, out _, out var retry));
        Assert.Equal(MaxIdle, retry);

        merger.MarkAtEnd(1);
        Assert.True(merger.TryDequeue(out item, out _, out _));
        Assert.Equal("imp", item);
        Assert.False(merger.IsDrainedToEnd());
        merger.MarkAtEnd(0);
        Assert.True(merger.IsDrainedToEnd());
    }

    [Fact]
    public void Is_drained_to_end_needs_every_input_empty_and_at_end()
    {
        var merger = NewMerger(2);
        Assert.False(merger.IsDrainedToEnd());
        merger.MarkAtEnd(0);
        Assert.False(merger.IsDrainedToEnd());
        merger.MarkAtEnd(1);
        Assert.True(merger.IsDrainedToEnd());

        merger.Enqueue(0, "x", T0);
        merger.MarkAtEnd(0);
        Assert.False(merger.IsDrainedToEnd()); // at end but still buffered
        Assert.Equal(1, merger.Buffered(0));
        Assert.True(merger.TryDequeue(out _, out _, out _));
        Assert.True(merger.IsDrainedToEnd());
    }

    [Fact]
    public void Rejects_fewer_than_one_input()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CoPartitionMerger<string>(0, MaxIdle, _clock));
    }
}
