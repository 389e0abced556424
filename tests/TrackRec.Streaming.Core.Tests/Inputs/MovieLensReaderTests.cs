using TrackRec.Streaming.Events;
using TrackRec.Streaming.Inputs;
using Xunit;

namespace TrackRec.Streaming.Tests.Inputs;

public sealed class MovieLensReaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("trackrec-movielens-");

    public MovieLensReaderTests()
    {
        Write("movies.csv",
            "movieId,title,genres",
            "1,Toy Story (1995),Adventure|Animation|Children",
            "2,\"American President, The (1995)\",Comedy|Drama|Romance",
            "3,\"Film \"\"Quoted\"\", With Comma (2001)\",Drama",
            "4,Nothing Known (2020),(no genres listed)");
        Write("ratings.csv",
            "userId,movieId,rating,timestamp",
            "1,1,4.0,964982703",
            "1,2,3.5,964981247",
            "2,3,5.0,964983815",
            "2,4,1.0,964983000");
        Write("tags.csv",
            "userId,movieId,tag,timestamp",
            "2,3,\"dark, funny\",1445714994",
            "2,3,classic,1445714994");
    }

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Reads_catalog_ratings_and_tags()
    {
        var stream = MovieLensReader.Read(_dir.FullName);

        Assert.Empty(stream.Problems);
        Assert.Equal(4, stream.Items.Count);
        Assert.Equal(4, stream.Events.OfType<Impression>().Count());
        Assert.Equal(2, stream.Events.OfType<Click>().Count());
        Assert.Equal(2, stream.Events.OfType<Comment>().Count());
        Assert.All(stream.Events, EventValidator.Validate);
    }

    [Fact]
    public void Quoted_titles_and_genres_are_split_correctly()
    {
        var items = MovieLensReader.Read(_dir.FullName).Items.ToDictionary(i => i.ItemId);

        Assert.Equal("Toy Story (1995)", items["1"].Title);
        Assert.Equal(["Adventure", "Animation", "Children"], items["1"].Categories);
        Assert.Equal("American President, The (1995)", items["2"].Title);
        Assert.Equal(["Comedy", "Drama", "Romance"], items["2"].Categories);
        Assert.Equal("Film \"Quoted\", With Comma (2001)", items["3"].Title);
        Assert.Equal(["Drama"], items["3"].Categories);
        Assert.Empty(items["4"].Categories);
    }

    [Fact]
    public void A_rating_is_an_impression_and_four_or_more_also_a_click_a_second_later()
    {
        var events = MovieLensReader.Read(_dir.FullName).Events;
        var rated = DateTimeOffset.FromUnixTimeSeconds(964982703);

        var impression = Assert.Single(events.OfType<Impression>(), i => i.ItemId == "1");
        Assert.Equal(new Impression("ml-r-1-1-964982703", "1", "1", rated, "ml-r-1-1-964982703"), impression);
        var click = Assert.Single(events.OfType<Click>(), c => c.ItemId == "1");
        Assert.Equal(new Click("ml-c-1-1-964982703", "1", "1", rated.AddSeconds(1), "ml-r-1-1-964982703"), click);
        Assert.DoesNotContain(events, e => e is Click && e.ItemId is "2" or "4"); // 3.5 and 1.0 are no clicks
        Assert.Contains(events, e => e is Click { UserId: "2", ItemId: "3" });
    }

    [Fact]
    public void Tags_become_comments_with_unique_ids()
    {
        var comments = MovieLensReader.Read(_dir.FullName).Events.OfType<Comment>().ToList();

        Assert.Equal(["dark, funny", "classic"], comments.Select(c => c.Text));
        Assert.Equal(["ml-t-2-3-1445714994", "ml-t-2-3-1445714994-2"], comments.Select(c => c.EventId));
        Assert.All(comments, c => Assert.Equal(("2", "3", DateTimeOffset.FromUnixTimeSeconds(1445714994)), (c.UserId, c.ItemId, c.EventTime)));
    }

    [Fact]
    public void Limits_cut_users_and_ratings_and_the_tags_of_dropped_users()
    {
        var oneUser = MovieLensReader.Read(_dir.FullName, maxUsers: 1);
        Assert.Equal(2, oneUser.Events.OfType<Impression>().Count());
        Assert.All(oneUser.Events, e => Assert.Equal("1", e.UserId));
        Assert.Equal(4, oneUser.Items.Count);

        var threeRatings = MovieLensReader.Read(_dir.FullName, maxRatings: 3);
        Assert.Equal(3, threeRatings.Events.OfType<Impression>().Count());
        Assert.Equal(2, threeRatings.Events.OfType<Comment>().Count());
    }

    [Fact]
    public void Bad_rows_are_reported_with_file_and_line_and_skipped()
    {
        Write("ratings.csv",
            "userId,movieId,rating,timestamp",
            "1,1,4.0,964982703",
            "1,2,great,964981247",
            "1,3,4.0",
            "1,4,4.0,not-a-time",
            "1,\"5\"x,4.0,964981247",
            "1,6,2.0,964981248");
        File.Delete(Path.Combine(_dir.FullName, "tags.csv"));

        var stream = MovieLensReader.Read(_dir.FullName);

        Assert.Equal(["1", "6"], stream.Events.OfType<Impression>().Select(i => i.ItemId).Order(StringComparer.Ordinal));
        Assert.Equal([3, 4, 5, 6], stream.Problems.Select(p => p.LineNumber));
        Assert.All(stream.Problems, p => Assert.StartsWith("ratings.csv: ", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Quoted_line_breaks_stay_in_the_field_and_line_numbers_stay_right()
    {
        Write("movies.csv",
            "movieId,title,genres",
            "1,\"Two\nLines\",Drama",
            "2,Fine,Comedy",
            "x3,\"bad\"quote,Drama");

        var stream = MovieLensReader.Read(_dir.FullName);

        Assert.Equal("Two\nLines", stream.Items[0].Title);
        Assert.Equal("Fine", stream.Items[1].Title);
        var problem = Assert.Single(stream.Problems);
        Assert.Equal(5, problem.LineNumber);
        Assert.StartsWith("movies.csv: ", problem.Message, StringComparison.Ordinal);
    }

    private void Write(string name, params string[] lines) =>
        File.WriteAllText(Path.Combine(_dir.FullName, name), string.Join('\n', lines) + "\n");
}
