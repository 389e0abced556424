using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Replay;

namespace TrackRec.Streaming.Tests.Replay;

/// <summary>The replay command's small text formats: --warmup durations and the plain progress line.</summary>
public sealed class ReplayTextTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("1h", 3600)]
    [InlineData("2d", 172800)]
    [InlineData("0", 0)]
    [InlineData("01:30:00", 5400)]
    public void Durations_read_as_operators_type_them(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), DurationParser.Parse(text));

    [Theory]
    [InlineData("a while")]
    [InlineData("-1h")]
    [InlineData("h")]
    public void Non_durations_are_refused(string text) => Assert.Null(DurationParser.Parse(text));

    [Fact]
    public void Progress_line_shows_count_percentage_rate_and_eta_and_caps_at_100_percent()
    {
        Assert.Equal("replay: 2,500/~10,000 records (25%), 500 records/s, ETA 00:00:15", ReplayProgress.Line(2500, 10_000, TimeSpan.FromSeconds(5)));
        Assert.Equal("replay: 10,200/~10,000 records (100%), 1,020 records/s, ETA 00:00:00", ReplayProgress.Line(10_200, 10_000, TimeSpan.FromSeconds(10)));
    }
}
