using TrackRec.Streaming.Training.Evaluation;

namespace TrackRec.Streaming.Tests.Evaluation;

/// <summary>Seeds that run side by side write whole lines, each with its seed in front.</summary>
public sealed class PrefixedLineWriterTests
{
    [Fact]
    public async Task Lines_from_several_writers_arrive_whole_and_prefixed()
    {
        var shared = new StringWriter();
        var writers = Enumerable.Range(0, 4).Select(i => new PrefixedLineWriter(shared, $"seed {i}: ")).ToList();

        await Parallel.ForEachAsync(Enumerable.Range(0, 4), TestContext.Current.CancellationToken, async (i, _) =>
        {
            for (var n = 0; n < 200; n++)
            {
                await writers[i].WriteAsync($"line {n} ");
                await writers[i].WriteLineAsync($"of writer {i}");
            }
        });
        writers[0].Write("unfinished");
        writers[0].Dispose(); // a partial last line is written on dispose

        var lines = shared.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(801, lines.Length);
        Assert.All(lines.SkipLast(1), l => Assert.Matches(@"^seed (\d): line \d+ of writer \1$", l));
        Assert.Equal("seed 0: unfinished", lines[^1]);
        for (var i = 0; i < 4; i++)
            Assert.Equal(Enumerable.Range(0, 200).Select(n => $"seed {i}: line {n} of writer {i}"), lines.Where(l => l.StartsWith($"seed {i}: line", StringComparison.Ordinal)));
    }
}
