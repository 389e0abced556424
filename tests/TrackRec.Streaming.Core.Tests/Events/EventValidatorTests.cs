using TrackRec.Streaming.Events;
using Xunit;

namespace TrackRec.Streaming.Tests.Events;

public sealed class EventValidatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Impression GoodImpression = new("e1", "u1", "i1", T0, "imp1", 0, "home");

    private static string Rejection(BehaviourEvent e) => Assert.Throws<EventValidationException>(() => EventValidator.Validate(e)).Message;

    private static string Rejection(CatalogItem item) => Assert.Throws<EventValidationException>(() => EventValidator.Validate(item)).Message;

    [Fact]
    public void Accepts_valid_events()
    {
        BehaviourEvent[] valid =
        [
            GoodImpression,
            GoodImpression with { Position = null, Surface = null },
            new Click("e2", "u1", "i1", T0),
            new Click("e2", "u1", "i1", T0, "imp1"),
            new Comment("e3", "u1", "i1", T0, ""),
        ];

        Assert.All(valid, e => Assert.Null(Record.Exception(() => EventValidator.Validate(e))));
        Assert.Null(Record.Exception(() => EventValidator.Validate(new CatalogItem("i1", "", []))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Ids_must_not_be_empty(string? value)
    {
        Assert.Equal("event_id is empty", Rejection(GoodImpression with { EventId = value! }));
        Assert.Equal("user_id is empty", Rejection(GoodImpression with { UserId = value! }));
        Assert.Equal("item_id is empty", Rejection(GoodImpression with { ItemId = value! }));
        Assert.Equal("impression_id is empty", Rejection(GoodImpression with { ImpressionId = value! }));
        Assert.Equal("user_id is empty", Rejection(new Click("e", value!, "i", T0)));
        Assert.Equal("item_id is empty", Rejection(new Comment("e", "u", value!, T0, "t")));
        Assert.Equal("item_id is empty", Rejection(new CatalogItem(value!, "t", [])));
    }

    [Fact]
    public void The_first_broken_rule_is_named()
    {
        Assert.Equal("event_id is empty", Rejection(new Click("", "", "", default)));
        Assert.Equal("ts is missing", Rejection(GoodImpression with { EventTime = default, ImpressionId = "" }));
    }

    [Fact]
    public void Time_must_be_set()
    {
        Assert.Equal("ts is missing", Rejection(new Click("e", "u", "i", default)));
        Assert.Equal("ts is missing", Rejection(GoodImpression with { EventTime = default }));
    }

    [Fact]
    public void Position_must_not_be_negative()
    {
        Assert.Equal("position must not be negative", Rejection(GoodImpression with { Position = -1 }));
        EventValidator.Validate(GoodImpression with { Position = 0 });
    }

    [Fact]
    public void Comment_text_must_be_present()
    {
        Assert.Equal("text is missing", Rejection(new Comment("e", "u", "i", T0, null!)));
    }

    [Fact]
    public void Catalog_items_need_a_title_and_categories()
    {
        Assert.Equal("title is missing", Rejection(new CatalogItem("i1", null!, [])));
        Assert.Equal("categories is missing", Rejection(new CatalogItem("i1", "t", null!)));
    }

    [Fact]
    public void Null_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => EventValidator.Validate((BehaviourEvent)null!));
        Assert.Throws<ArgumentNullException>(() => EventValidator.Validate((CatalogItem)null!));
    }
}
