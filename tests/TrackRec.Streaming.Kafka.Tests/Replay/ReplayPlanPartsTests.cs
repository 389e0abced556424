using System.Text;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.Replay;
using Xunit;

namespace TrackRec.Streaming.Tests.Replay;

/// <summary>The pieces of a replay plan that need no broker: the --offsets syntax, targets and the range header.</summary>
public sealed class ReplayPlanPartsTests
{
    [Fact]
    public void Offsets_parse_topic_partition_and_an_end_exclusive_range()
    {
        var ranges = OffsetRangeSpec.ParseList("impressions:0:100-250, trackrec.clicks:1:80-200");

        Assert.Equal([new OffsetRangeSpec("impressions", 0, 100, 250), new OffsetRangeSpec("trackrec.clicks", 1, 80, 200)], ranges);
    }

    [Theory]
    [InlineData("0:100-250")]
    [InlineData("impressions:x:1-2")]
    [InlineData("impressions:0:5-2")]
    [InlineData("impressions:0:1-2,impressions:0:3-4")]
    [InlineData(" ")]
    public void Malformed_offsets_name_the_option(string text)
    {
        var ex = Assert.Throws<ReplayPlanException>(() => OffsetRangeSpec.ParseList(text));
        Assert.StartsWith("--offsets", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_are_suffixed_sandbox_topics_unless_live_is_asked_for()
    {
        var live = new TopicOptions();

        Assert.Equal(["trackrec.features.replay", "trackrec.user-chains.replay", "trackrec.outcomes.replay", "trackrec.dead-letters.replay", "trackrec.batch-manifests.replay"], ReplayTargets.For(live, ".replay", toLive: false).All);
        Assert.Equal([live.Features, live.UserChains, live.Outcomes, live.DeadLetters, live.BatchManifests], ReplayTargets.For(live, ".replay", toLive: true).All);
        Assert.StartsWith("--target-suffix", Assert.Throws<ReplayPlanException>(() => ReplayTargets.For(live, "", toLive: false)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Range_header_lists_the_replayed_ranges_sorted_without_warm_up_or_empty_ones()
    {
        var plan = new ReplayPlan("job-1", "trackrec-replay-job-1",
        [
            new ReplayRange("trackrec.impressions", 1, 0, 80, 200),
            new ReplayRange("trackrec.clicks", 0, 5, 10, 10),
            new ReplayRange("trackrec.impressions", 0, 50, 100, 250),
        ], ReplayTargets.For(new TopicOptions(), ".replay", toLive: false));

        Assert.Equal("trackrec.impressions:0:100-250;trackrec.impressions:1:80-200", plan.RangeHeader);
        Assert.Equal([0, 1], plan.Partitions);
        Assert.Equal(150 + 120, plan.Ranges.Sum(r => r.Count));
        Assert.Equal(50 + 80 + 5, plan.Ranges.Sum(r => r.WarmupCount));
        Assert.Equal("job-1", Encoding.UTF8.GetString(plan.Headers.Single(h => h.Key == ReplayHeaders.Job).Value));
        Assert.True(plan.RangeOf("trackrec.comments", 0).IsEmpty);
    }
}
