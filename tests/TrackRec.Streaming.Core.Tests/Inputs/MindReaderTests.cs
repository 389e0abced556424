using TrackRec.Streaming.Catalog;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Processing;
using TrackRec.Streaming.Inputs;
using TrackRec.Streaming.UserState;
using Xunit;

namespace TrackRec.Streaming.Tests.Inputs;

public sealed class MindReaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("trackrec-mind-");

    public MindReaderTests()
    {
        // N9 is shown and clicked but has no news row; U2 has an empty history.
        Write("news.tsv",
            "N1\tsports\tfootball\tCup final tonight\tThe final is at eight.\thttp://x\t[]\t[]",
            "N2\tnews\tnewspolitics\tElection result\t\thttp://x\t[]\t[]",
            "N3\tlifestyle\tlifestyleroyals\tA royal visit\tA visit.\thttp://x\t[]\t[]");
        Write("behaviors.tsv",
            "10\tU1\t11/11/2019 9:05:00 AM\tN1 N2\tN3-0 N9-1 N2-0",
            "11\tU2\t11/11/2019 8:00:00 AM\t\tN1-1",
            "12\tU1\t11/12/2019 1:30:15 PM\tN1 N2\tN3-1");
    }

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Shown_news_become_impressions_and_minus_one_clicks_on_them()
    {
        var stream = MindReader.Read(_dir.FullName);

        Assert.Empty(stream.Problems);
        var impressions = stream.Events.OfType<Impression>().ToList();
        Assert.Equal(5, impressions.Count);
        Assert.All(impressions, i => Assert.Equal(MindReader.LogSurface, i.Surface));
        var logClicks = stream.Events.OfType<Click>().Where(c => c.ImpressionId is not null).ToList();
        Assert.Equal(["mind-10-1", "mind-11-0", "mind-12-0"], logClicks.Select(c => c.ImpressionId!).Order(StringComparer.Ordinal));
        var n9 = impressions.Single(i => i.ItemId == "N9");
        Assert.Equal(new DateTimeOffset(2019, 11, 11, 9, 5, 0, TimeSpan.Zero), n9.EventTime);
        Assert.Equal(1, n9.Position);
        Assert.Equal(n9.EventTime.AddSeconds(1), logClicks.Single(c => c.ImpressionId == n9.ImpressionId).EventTime);
        Assert.All(stream.Events, EventValidator.Validate);
    }

    [Fact]
    public void History_is_clicks_without_impressions_before_the_first_log_oldest_first()
    {
        var stream = MindReader.Read(_dir.FullName);

        var history = stream.Events.OfType<Click>().Where(c => c.ImpressionId is null).ToList();
        // U1's history once (from its first log), U2 has none.
        Assert.Equal(["N1", "N2"], history.Select(c => c.ItemId));
        Assert.All(history, c => Assert.Equal("U1", c.UserId));
        var firstLog = new DateTimeOffset(2019, 11, 11, 9, 5, 0, TimeSpan.Zero);
        Assert.Equal(firstLog - MindReader.HistoryGap, history[^1].EventTime);
        Assert.True(history[0].EventTime < history[1].EventTime);
    }

    [Fact]
    public void News_without_a_row_are_labelled_like_any_other_and_history_is_never_an_impression()
    {
        var stream = MindReader.Read(_dir.FullName);
        var catalog = new ItemCatalog();
        foreach (var item in stream.Items)
            catalog.Upsert(item);

        var labelled = OfflineLabelling.LabelledImpressions(stream.Events, catalog, new PipelineOptions(), heldOutOutcomes: 0).ToList();

        Assert.Equal(5, labelled.Count);
        var n9 = labelled.Single(l => l.Item.ItemId == "N9");
        Assert.True(n9.Clicked);
        Assert.Null(n9.Item.Title);
        Assert.Empty(n9.Item.Categories);
        // The first log's request already carries the placed history as clicks.
        Assert.Equal(["N1", "N2"], n9.Request.History.Where(h => h.Signal == Signal.Click).Select(h => h.ItemId));
        Assert.Empty(labelled.Single(l => l.Request.UserId == "U2").Request.History);
    }

    [Fact]
    public void Catalog_has_categories_and_abstracts_of_the_news_rows_only()
    {
        var items = MindReader.Read(_dir.FullName).Items.ToDictionary(i => i.ItemId);

        Assert.Equal(3, items.Count);
        Assert.Equal(["sports", "football"], items["N1"].Categories);
        Assert.Equal("The final is at eight.", items["N1"].Text);
        Assert.Null(items["N2"].Text);
    }

    [Fact]
    public void Bad_lines_are_problems_naming_the_file_and_the_rest_reads()
    {
        File.AppendAllLines(Path.Combine(_dir.FullName, "behaviors.tsv"), ["13\tU3\tyesterday\t\tN1-0", "14\tU3\t11/12/2019 1:30:15 PM\t\tN1-7"]);

        var stream = MindReader.Read(_dir.FullName);

        Assert.Equal(2, stream.Problems.Count);
        Assert.All(stream.Problems, p => Assert.StartsWith("behaviors.tsv: ", p.Message, StringComparison.Ordinal));
        Assert.Equal([4, 5], stream.Problems.Select(p => p.LineNumber));
        Assert.Equal(5, stream.Events.OfType<Impression>().Count());
    }

    [Fact]
    public void Max_users_keeps_the_first_users()
    {
        var stream = MindReader.Read(_dir.FullName, maxUsers: 1);

        Assert.All(stream.Events, e => Assert.Equal("U1", e.UserId));
    }

    [Fact]
    public void A_directory_without_behaviours_is_a_clear_error()
    {
        File.Delete(Path.Combine(_dir.FullName, "behaviors.tsv"));

        var ex = Assert.Throws<FileNotFoundException>(() => MindReader.Read(_dir.FullName));
        Assert.Contains("behaviors.tsv", ex.Message, StringComparison.Ordinal);
    }

    private void Write(string name, params string[] lines) => File.WriteAllLines(Path.Combine(_dir.FullName, name), lines);
}
