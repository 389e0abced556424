using System.Globalization;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Inputs;
using Xunit;

namespace TrackRec.Streaming.Tests.Inputs;

public sealed class StreamSimulatorTests
{
    private static readonly SimulatorOptions Small = new() { Seed = 7, Users = 30, Items = 80, ImpressionsPerUser = 20 };

    [Fact]
    public void Same_seed_gives_an_identical_stream()
    {
        var a = StreamSimulator.Generate(Small);
        var b = StreamSimulator.Generate(Small);

        Assert.Equal(a.Events, b.Events);
        Assert.Equal(a.Items.Select(Describe), b.Items.Select(Describe));
    }

    [Fact]
    public void Different_seed_gives_a_different_stream()
    {
        var a = StreamSimulator.Generate(Small);
        var b = StreamSimulator.Generate(Small with { Seed = 8 });

        Assert.NotEqual(a.Events.Select(WithoutId), b.Events.Select(WithoutId));
        Assert.NotEqual(a.Items.Select(Describe), b.Items.Select(Describe));
    }

    [Fact]
    public void Stream_has_the_requested_shape()
    {
        var stream = StreamSimulator.Generate(Small);

        Assert.Equal(80, stream.Items.Count);
        Assert.Equal(30 * 20, stream.Events.OfType<Impression>().Count());
        Assert.Empty(stream.Problems);
        Assert.All(stream.Items, i => Assert.InRange(i.Categories.Count, 1, 3));
        Assert.All(stream.Items, i => Assert.Matches(@"^\S.* #\d+$", i.Title));
        Assert.Contains(stream.Events, e => e is Click { ImpressionId: null });
        Assert.Contains(stream.Events, e => e is Click { ImpressionId: not null });
        Assert.Contains(stream.Events, e => e is Comment);
        Assert.All(stream.Events, e => Assert.True(e.EventTime >= Small.Start));
    }

    [Fact]
    public void Events_are_sorted_by_time()
    {
        var events = StreamSimulator.Generate(Small).Events;

        for (var i = 1; i < events.Count; i++)
            Assert.True(events[i - 1].EventTime <= events[i].EventTime, $"event {i} goes back in time");
    }

    [Fact]
    public void Every_click_follows_an_impression_of_the_same_user_and_item_within_a_minute()
    {
        var events = StreamSimulator.Generate(Small).Events;
        var impressions = events.OfType<Impression>().ToDictionary(i => i.ImpressionId);

        foreach (var click in events.OfType<Click>())
        {
            if (click.ImpressionId is { } id)
            {
                var impression = impressions[id];
                Assert.Equal((impression.UserId, impression.ItemId), (click.UserId, click.ItemId));
                Assert.InRange(click.EventTime - impression.EventTime, TimeSpan.FromTicks(1), TimeSpan.FromMinutes(1));
            }
            else
            {
                Assert.Contains(impressions.Values, i =>
                    i.UserId == click.UserId && i.ItemId == click.ItemId
                    && i.EventTime < click.EventTime && click.EventTime - i.EventTime <= TimeSpan.FromMinutes(1));
            }
        }
    }

    [Fact]
    public void Every_comment_follows_a_click_of_the_same_user_and_item()
    {
        var events = StreamSimulator.Generate(Small).Events;
        var clicks = events.OfType<Click>().ToList();

        Assert.All(events.OfType<Comment>(), c =>
        {
            Assert.Contains(clicks, k => k.UserId == c.UserId && k.ItemId == c.ItemId && k.EventTime < c.EventTime);
            Assert.False(string.IsNullOrWhiteSpace(c.Text));
        });
    }

    [Fact]
    public void Users_click_liked_categories_far_more_than_the_disliked_one()
    {
        var options = new SimulatorOptions { Seed = 11 };
        var stream = StreamSimulator.Generate(options);
        var users = StreamSimulator.Users(options).ToDictionary(u => u.UserId);
        var categories = stream.Items.ToDictionary(i => i.ItemId, i => i.Categories);
        var clicked = stream.Events.OfType<Click>().Select(c => c.ImpressionId).ToHashSet();
        var attributed = stream.Events.OfType<Click>().Where(c => c.ImpressionId is null).Select(c => (c.UserId, c.ItemId)).ToHashSet();

        int likedShown = 0, likedClicked = 0, dislikedShown = 0, dislikedClicked = 0;
        foreach (var impression in stream.Events.OfType<Impression>())
        {
            var user = users[impression.UserId];
            var cats = categories[impression.ItemId];
            var liked = cats.Any(user.LikedCategories.Contains);
            var disliked = cats.Contains(user.DislikedCategory);
            var wasClicked = clicked.Contains(impression.ImpressionId) || attributed.Contains((impression.UserId, impression.ItemId));
            if (liked && !disliked)
            {
                likedShown++;
                likedClicked += wasClicked ? 1 : 0;
            }
            else if (disliked && !liked)
            {
                dislikedShown++;
                dislikedClicked += wasClicked ? 1 : 0;
            }
        }

        Assert.True(likedShown > 500 && dislikedShown > 200, $"too few impressions to compare: {likedShown} liked, {dislikedShown} disliked");
        var likedRate = (double)likedClicked / likedShown;
        var dislikedRate = (double)dislikedClicked / dislikedShown;
        Assert.True(likedRate > 3 * dislikedRate && likedRate - dislikedRate > 0.15,
            string.Create(CultureInfo.InvariantCulture, $"liked click rate {likedRate:P1} vs disliked {dislikedRate:P1}"));
    }

    [Fact]
    public void Every_event_and_item_passes_the_validator()
    {
        var stream = StreamSimulator.Generate(Small);

        Assert.All(stream.Events, EventValidator.Validate);
        Assert.All(stream.Items, EventValidator.Validate);
    }

    [Fact]
    public void Ids_are_unique_and_deterministic()
    {
        var stream = StreamSimulator.Generate(Small);
        var eventIds = stream.Events.Select(e => e.EventId).ToList();
        var impressionIds = stream.Events.OfType<Impression>().Select(i => i.ImpressionId).ToList();

        Assert.Equal(eventIds.Count, eventIds.Distinct().Count());
        Assert.Equal(impressionIds.Count, impressionIds.Distinct().Count());
        Assert.Equal(stream.Items.Count, stream.Items.Select(i => i.ItemId).Distinct().Count());
        Assert.All(eventIds, id => Assert.StartsWith("sim-7-", id, StringComparison.Ordinal));
    }

    [Fact]
    public void Tastes_are_distinct_categories_with_a_normalised_preference()
    {
        Assert.All(StreamSimulator.Users(Small), u =>
        {
            Assert.Equal(2, u.LikedCategories.Distinct().Count());
            Assert.DoesNotContain(u.DislikedCategory, u.LikedCategories);
            Assert.Equal(1.0, u.Preferences.Values.Sum(), 6);
            Assert.Equal(0.0, u.Preferences[u.DislikedCategory]);
        });
    }

    [Fact]
    public void Bad_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamSimulator.Generate(Small with { Categories = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamSimulator.Generate(Small with { Categories = StreamSimulator.MaxCategories + 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamSimulator.Generate(Small with { CommentProbability = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => StreamSimulator.Generate(Small with { Users = 0 }));
    }

    private static string Describe(CatalogItem i) =>
        $"{i.ItemId}|{i.Title}|{string.Join(',', i.Categories)}|{i.Text}|{i.UpdatedAt:O}";

    private static string WithoutId(BehaviourEvent e) => $"{e.GetType().Name}|{e.UserId}|{e.ItemId}|{e.EventTime:O}";
}
