using TrackRec.Streaming.Feedback;
using Xunit;
using static TrackRec.Streaming.Tests.Feedback.FeedbackRecords;

namespace TrackRec.Streaming.Tests.Feedback;

public sealed class FeedbackBatcherTests
{
    [Fact]
    public void A_batch_is_cut_when_it_reaches_max_records()
    {
        var batcher = new FeedbackBatcher<long>(3, new BatchOptions { MaxRecords = 3, MaxSpan = TimeSpan.FromHours(1) });

        Assert.Empty(batcher.Add(Validator("imp1"), 10, At(10), T0));
        Assert.Empty(batcher.Add(Preference("g1"), 12, At(12), T0));
        var cut = Assert.Single(batcher.Add(Validator("imp2"), 11, At(11, "clicks"), T0.AddMinutes(1)));

        Assert.Equal(3, cut.Count);
        Assert.Equal(3, cut.Partition);
        Assert.Equal([10L, 12, 11], cut.Origins);
        Assert.Equal([new InputRange("clicks", 0, 11, 11), new InputRange("impressions", 0, 10, 12)], cut.InputRanges);
        Assert.Equal((T0, T0.AddMinutes(1)), (cut.FirstEventTime, cut.LastEventTime));
        Assert.StartsWith("p003-000000000010-", cut.BatchId, StringComparison.Ordinal);
        Assert.Equal(0, batcher.Pending);
    }

    [Fact]
    public void A_batch_is_cut_before_the_first_record_past_its_event_time_span()
    {
        var batcher = new FeedbackBatcher<long>(0, new BatchOptions { MaxRecords = 100, MaxSpan = TimeSpan.FromMinutes(10) });

        batcher.Add(Validator("imp1"), 1, At(1), T0);
        batcher.Add(Validator("imp2"), 2, At(2), T0.AddMinutes(9));
        var cut = Assert.Single(batcher.Add(Validator("imp3"), 3, At(3), T0.AddMinutes(10)));

        Assert.Equal([1L, 2], cut.Origins);
        Assert.Equal(1, batcher.Pending); // imp3 opens the next batch
        var last = batcher.Cut();
        Assert.NotNull(last);
        Assert.Equal([3L], last.Origins);
        Assert.Null(batcher.Cut());
    }

    [Fact]
    public void The_same_records_at_the_same_offsets_get_the_same_batch_id_and_different_ones_do_not()
    {
        static string Run(long offset, string impression)
        {
            var batcher = new FeedbackBatcher<long>(1, new BatchOptions());
            batcher.Add(Validator(impression), offset, At(offset), T0);
            batcher.Add(Preference("g1"), offset + 5, At(offset + 5), T0);
            return batcher.Cut()!.BatchId;
        }

        Assert.Equal(Run(100, "imp1"), Run(100, "imp1"));
        Assert.NotEqual(Run(100, "imp1"), Run(101, "imp1"));
        Assert.NotEqual(Run(100, "imp1"), Run(100, "imp9"));
    }

    [Fact]
    public void A_scope_keeps_the_same_records_apart_and_gives_the_same_id_within_the_scope()
    {
        static string Run(string? scope)
        {
            var batcher = new FeedbackBatcher<long>(1, new BatchOptions(), scope);
            batcher.Add(Validator("imp1"), 100, At(100), T0);
            batcher.Add(Preference("g1"), 105, At(105), T0);
            return batcher.Cut()!.BatchId;
        }

        Assert.Equal(Run("job-a"), Run("job-a")); // a re-run replay rewrites its batches
        Assert.NotEqual(Run(null), Run("job-a")); // the live worker's batch is never mistaken for a replay's
        Assert.NotEqual(Run("job-a"), Run("job-b"));
        Assert.StartsWith("p001-000000000100-", Run("job-a"), StringComparison.Ordinal);
    }
}
