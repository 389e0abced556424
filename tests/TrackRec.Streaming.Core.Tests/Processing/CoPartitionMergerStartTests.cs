using Microsoft.Extensions.Time.Testing;
using TrackRec.Streaming.Processing;
using Xunit;

namespace TrackRec.Streaming.Tests.Processing;

/// <summary>
/// An input whose position is unknown (no record and no end since assignment) is waited for without
/// limit: releasing impressions while the clicks consumer is still making its first fetch labelled
/// clicked impressions as not clicked in an earlier version.
/// </summary>
public sealed class CoPartitionMergerStartTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_input_that_has_not_started_is_waited_for_past_the_idle_limit()
    {
        var clock = new FakeTimeProvider();
        var merger = new CoPartitionMerger<string>(2, TimeSpan.FromSeconds(1), clock);
        merger.Enqueue(0, "impression", T0);

        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.False(merger.TryDequeue(out _, out _, out var retryAfter));
        Assert.Null(retryAfter);
        Assert.Equal(0, merger.IdleReleases);
    }

    [Fact]
    public void Once_the_waiting_input_reports_its_end_the_others_flow()
    {
        var clock = new FakeTimeProvider();
        var merger = new CoPartitionMerger<string>(2, TimeSpan.FromSeconds(1), clock);
        merger.Enqueue(0, "impression", T0);
        merger.MarkAtEnd(1);

        Assert.True(merger.TryDequeue(out var item, out var input, out _));
        Assert.Equal(("impression", 0), (item, input));
    }

    [Fact]
    public void A_started_input_that_lags_is_given_up_on_only_after_the_idle_limit_and_that_is_counted()
    {
        var clock = new FakeTimeProvider();
        var merger = new CoPartitionMerger<string>(2, TimeSpan.FromSeconds(1), clock);
        merger.Enqueue(1, "click", T0);
        Assert.True(merger.TryDequeue(out _, out _, out _) is false); // input 0 has not started
        merger.Enqueue(0, "impression", T0.AddSeconds(1));
        Assert.True(merger.TryDequeue(out var first, out _, out _));
        Assert.Equal("click", first);
        merger.Enqueue(0, "impression-2", T0.AddSeconds(2));

        Assert.False(merger.TryDequeue(out _, out _, out var retryAfter)); // input 1 is empty, not at end
        Assert.NotNull(retryAfter);
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.True(merger.TryDequeue(out var released, out _, out _));
        Assert.Equal("impression", released);
        Assert.Equal(1, merger.IdleReleases);
    }
}
