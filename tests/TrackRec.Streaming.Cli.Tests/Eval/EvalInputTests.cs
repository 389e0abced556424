using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TrackRec.Streaming.Cli.Commands;

namespace TrackRec.Streaming.Tests.Eval;

/// <summary>`trackrec eval` reads a MIND directory, and refuses conflicting inputs with a sentence.</summary>
[Collection("console error")]
public sealed class EvalInputTests : IDisposable
{
    private static readonly string[] Categories = ["sports", "news", "finance", "travel", "music"];
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-eval-mind-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Eval_reads_a_mind_directory_and_measures_the_logs_shown_news()
    {
        var data = await WriteMindAsync();
        var output = Path.Combine(_dir, "out");

        var exit = await EvalCommand.Create().Parse(["--mind", data, "--out", output, "--rounds", "0", "--epochs", "2", "--seed", "3", "--seeds", "1", "--no-ablations", "--bootstrap", "100"])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null }, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "eval.json"), TestContext.Current.CancellationToken));
        Assert.StartsWith("mind ", json.RootElement.GetProperty("source").GetString(), StringComparison.Ordinal);
        var root = json.RootElement.GetProperty("runs")[0];
        // Every labelled impression is a shown news of a log (history clicks are never impressions).
        Assert.Equal(60 * 8, root.GetProperty("train_impressions").GetInt32() + root.GetProperty("test_impressions").GetInt32());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("baseline").GetProperty("auc").ValueKind);
        // MIND's own metrics are reported beside AUC, over the test logs.
        var log = root.GetProperty("rounds")[0].GetProperty("log");
        Assert.True(log.GetProperty("logs").GetInt32() > 0);
        foreach (var metric in new[] { "mean_log_auc", "mrr", "ndcg5", "ndcg10" })
            Assert.InRange(log.GetProperty(metric).GetDouble(), 0, 1);
    }

    [Fact]
    public async Task Two_inputs_exit_2_with_a_sentence()
    {
        var data = await WriteMindAsync();
        var error = new StringWriter();
        var saved = Console.Error;
        int exit;
        try
        {
            Console.SetError(error);
            exit = await EvalCommand.Create().Parse(["--mind", data, "--movielens", data, "--out", Path.Combine(_dir, "bad")])
                .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }, TestContext.Current.CancellationToken);
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Equal(2, exit);
        Assert.Contains("cannot be combined", error.ToString(), StringComparison.Ordinal);
    }

    // 20 users with 3 logs of 8 shown news each; users click their favourite category; a third of the news have no row.
    private async Task<string> WriteMindAsync()
    {
        var dir = Path.Combine(_dir, "mind");
        if (Directory.Exists(dir))
            return dir;
        Directory.CreateDirectory(dir);
        var c = CultureInfo.InvariantCulture;
        var news = new StringBuilder();
        for (var n = 1; n <= 60; n++)
            if (n % 3 != 0)
                news.Append(c, $"N{n}\t{Categories[n % 5]}\t{Categories[n % 5]}sub\tTitle {n}\tAbstract {n}\thttp://x\t[]\t[]\n");
        var behaviours = new StringBuilder();
        var random = new Random(5);
        var log = 1;
        for (var round = 0; round < 3; round++)
            for (var u = 1; u <= 20; u++)
            {
                var history = u % 4 == 0 ? "" : string.Join(' ', Enumerable.Range(0, 3).Select(k => $"N{5 * k + u % 5 + 5}"));
                var shown = Enumerable.Range(0, 8).Select(_ => 1 + random.Next(60))
                    .Select(n => $"N{n}-{(n % 5 == u % 5 && random.NextDouble() < 0.7 || random.NextDouble() < 0.05 ? 1 : 0)}");
                var time = new DateTime(2019, 11, 9 + round, 8, 0, 0).AddMinutes(u * 7);
                behaviours.Append(c, $"{log++}\tU{u}\t{time.ToString("M/d/yyyy h:mm:ss tt", c)}\t{history}\t{string.Join(' ', shown)}\n");
            }
        await File.WriteAllTextAsync(Path.Combine(dir, "news.tsv"), news.ToString(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "behaviors.tsv"), behaviours.ToString(), TestContext.Current.CancellationToken);
        return dir;
    }
}
