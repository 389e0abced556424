using TrackRec.Streaming.Events;
using TrackRec.Streaming.Inputs;
using Xunit;

namespace TrackRec.Streaming.Tests.Inputs;

public sealed class JsonLinesEventReaderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly string Mixed = string.Join('\n',
        """{"type":"item","item_id":"i1","title":"Midnight Jazz Sessions #1","categories":["jazz","live"],"text":"smoky"}""",
        """{"type":"impression","event_id":"e1","user_id":"u1","item_id":"i1","ts":"2026-01-01T12:00:00Z","impression_id":"imp1","position":2,"surface":"home"}""",
        "",
        """{"type":"click","event_id":"e2","user_id":"u1","item_id":"i1","ts":1767268805000,"impression_id":"imp1"}""",
        """{"type":"click","event_id":"e3","user_id":"u1","item_id":"i1","ts":"2026-01-01T12:00:07+00:00"}""",
        """{"type":"comment","event_id":"e4","user_id":"u1","item_id":"i1","ts":"2026-01-01T13:00:10+01:00","text":"Loved the solos"}""",
        """   """,
        """{"type":"item","item_id":"i2","title":"Cold Case Files #2","categories":[],"ts":"2026-01-01T00:00:00Z"}""");

    [Fact]
    public void Reads_all_four_types()
    {
        var stream = JsonLinesEventReader.Read(new StringReader(Mixed));

        Assert.Empty(stream.Problems);
        Assert.Equal(2, stream.Items.Count);
        var jazz = stream.Items[0];
        Assert.Equal(("i1", "Midnight Jazz Sessions #1", "smoky", (DateTimeOffset?)null), (jazz.ItemId, jazz.Title, jazz.Text, jazz.UpdatedAt));
        Assert.Equal(["jazz", "live"], jazz.Categories);
        Assert.Empty(stream.Items[1].Categories);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), stream.Items[1].UpdatedAt);

        Assert.Equal(
            [
                new Impression("e1", "u1", "i1", T0, "imp1", 2, "home"),
                new Click("e2", "u1", "i1", T0.AddSeconds(5), "imp1"),
                new Click("e3", "u1", "i1", T0.AddSeconds(7)),
                new Comment("e4", "u1", "i1", T0.AddSeconds(10), "Loved the solos"),
            ],
            stream.Events);
    }

    [Fact]
    public void Events_come_out_sorted_by_time()
    {
        var lines = string.Join('\n',
            """{"type":"click","event_id":"late","user_id":"u","item_id":"i","ts":"2026-01-01T12:00:09Z"}""",
            """{"type":"impression","event_id":"early","user_id":"u","item_id":"i","ts":"2026-01-01T12:00:00Z","impression_id":"p"}""",
            """{"type":"click","event_id":"tie","user_id":"u","item_id":"i","ts":"2026-01-01T12:00:09Z"}""");

        var stream = JsonLinesEventReader.Read(new StringReader(lines));

        Assert.Equal(["early", "late", "tie"], stream.Events.Select(e => e.EventId));
    }

    [Fact]
    public void Bad_lines_are_reported_with_their_line_number_and_skipped()
    {
        var lines = string.Join('\n',
            """{"type":"impression","event_id":"e1","user_id":"u1","item_id":"i1","ts":"2026-01-01T12:00:00Z","impression_id":"imp1"}""", // 1
            """{"type":"impression", this is not json""",                                                                           // 2
            """{"type":"purchase","event_id":"e2","user_id":"u1","item_id":"i1","ts":"2026-01-01T12:00:00Z"}""",                     // 3
            "",                                                                                                                       // 4
            """{"type":"click","event_id":"e3","item_id":"i1","ts":"2026-01-01T12:00:00Z"}""",                                       // 5
            """{"type":"click","event_id":"e4","user_id":"u1","item_id":"i1","ts":"yesterday"}""",                                   // 6
            """{"type":"impression","event_id":"e5","user_id":"u1","item_id":"i1","ts":"2026-01-01T12:00:00Z"}""",                   // 7
            """{"type":"comment","event_id":"e6","user_id":"u1","item_id":"i1","ts":"2026-01-01T12:00:00Z","text":"ok"}""",          // 8
            """{"type":"click","event_id":"e7","user_id":"  ","item_id":"i1","ts":1767268805000}""",                                 // 9
            """{"type":"impression","event_id":"e8","user_id":"u1","item_id":"i1","ts":"2026-01-01T12:00:00Z","impression_id":"x","position":-1}""", // 10
            """{"type":"item","item_id":"i9","title":"No categories"}""",                                                             // 11
            """[1,2,3]""");                                                                                                           // 12

        var stream = JsonLinesEventReader.Read(new StringReader(lines));

        Assert.Equal(["e1", "e6"], stream.Events.Select(e => e.EventId).Order(StringComparer.Ordinal));
        Assert.Empty(stream.Items);
        Assert.Equal([2, 3, 5, 6, 7, 9, 10, 11, 12], stream.Problems.Select(p => p.LineNumber));
        var messages = stream.Problems.ToDictionary(p => p.LineNumber, p => p.Message);
        Assert.StartsWith("not valid JSON", messages[2], StringComparison.Ordinal);
        Assert.Contains("unknown type 'purchase'", messages[3], StringComparison.Ordinal);
        Assert.Equal("user_id is missing", messages[5]);
        Assert.Contains("ts 'yesterday'", messages[6], StringComparison.Ordinal);
        Assert.Equal("impression_id is missing", messages[7]);
        Assert.Equal("user_id is empty", messages[9]);
        Assert.Equal("position must not be negative", messages[10]);
        Assert.Equal("categories is missing", messages[11]);
    }

    [Fact]
    public void Reads_a_file_from_disk()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Mixed);
            var stream = JsonLinesEventReader.ReadFile(path);
            Assert.Equal(4, stream.Events.Count);
            Assert.Equal(2, stream.Items.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
