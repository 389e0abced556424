using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Tests.Demo;

namespace TrackRec.Streaming.Tests.Eval;

/// <summary>`trackrec eval` end to end on tiny MovieLens- and MIND-layout directories: eval.json with the documented fields and the PNGs.</summary>
[Collection("console error")]
public sealed class EvalCommandTests : IDisposable
{
    private static readonly string[] Genres = ["Comedy", "Drama", "Sci-Fi", "Horror", "Romance"];
    private static readonly string[] Categories = ["sports", "news", "finance", "travel", "music"];
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-eval-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Eval_writes_eval_json_with_the_documented_fields_and_a_png()
    {
        var data = await WriteMovieLensAsync();
        var output = Path.Combine(_dir, "out");

        var exit = await EvalCommand.Create().Parse(["--movielens", data, "--out", output, "--rounds", "1", "--epochs", "2", "--seed", "3", "--seeds", "2", "--bootstrap", "200"])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null }, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "eval.json"), TestContext.Current.CancellationToken));
        var summary = json.RootElement;
        Assert.Equal([3, 4], summary.GetProperty("seeds").EnumerateArray().Select(s => s.GetInt32()));
        var table = summary.GetProperty("table").EnumerateArray().ToDictionary(r => r.GetProperty("name").GetString()!);
        foreach (var name in new[] { "B0", "B1", "B2", "round 0", "Full - validator score", "Full - exploration" })
        {
            Assert.True(table.ContainsKey(name), $"the table lacks {name}");
            Assert.Equal(2, table[name].GetProperty("auc").GetProperty("n").GetInt32());
            Assert.True(table[name].GetProperty("auc").GetProperty("std").GetDouble() >= 0);
        }
        Assert.Equal(JsonValueKind.Null, table["round 1"].GetProperty("auc").ValueKind); // no round trainer registered
        var headline = summary.GetProperty("headline");
        Assert.Contains(headline.GetProperty("against").GetString(), new[] { "B1", "B2" });
        Assert.True(headline.GetProperty("interval_low").GetDouble() <= headline.GetProperty("difference").GetDouble());
        Assert.True(headline.GetProperty("interval_high").GetDouble() >= headline.GetProperty("difference").GetDouble());

        var runs = summary.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(2, runs.Count);
        var root = runs[0];
        foreach (var field in new[] { "train_events", "train_impressions", "test_impressions", "test_click_rate", "train_share", "seed", "elapsed_s" })
            Assert.Equal(JsonValueKind.Number, root.GetProperty(field).ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("split_time").ValueKind);
        foreach (var field in new[] { "backbone", "history_length", "epochs", "batch_size", "learning_rate", "chain_feature_dims" })
            Assert.True(root.GetProperty("budget").TryGetProperty(field, out _), $"budget lacks {field}");
        Assert.Equal(10, root.GetProperty("budget").GetProperty("history_length").GetInt32());
        Assert.Equal("DIN", root.GetProperty("budget").GetProperty("backbone").GetString());

        var baseline = root.GetProperty("baseline");
        Assert.Equal("ok", baseline.GetProperty("status").GetString());
        Assert.False(baseline.GetProperty("chain_features").GetBoolean());
        Assert.Equal(JsonValueKind.Number, baseline.GetProperty("auc").ValueKind);
        Assert.Equal(JsonValueKind.Number, baseline.GetProperty("log_loss").ValueKind);

        var rounds = root.GetProperty("rounds").EnumerateArray().ToList();
        Assert.Equal(2, rounds.Count);
        Assert.Equal("ok", rounds[0].GetProperty("status").GetString());
        foreach (var field in new[] { "auc", "log_loss", "validator_auc", "generations", "cache_hits" })
            Assert.Equal(JsonValueKind.Number, rounds[0].GetProperty(field).ValueKind);
        Assert.Equal(JsonValueKind.Null, rounds[0].GetProperty("mean_chosen_rejected_margin").ValueKind);
        var selection = rounds[0].GetProperty("selection");
        Assert.Equal(selection.GetProperty("selected_reward").GetDouble() - selection.GetProperty("mean_sample_reward").GetDouble(), selection.GetProperty("margin").GetDouble(), 5);
        Assert.True(selection.GetProperty("interval_low").GetDouble() <= selection.GetProperty("margin").GetDouble());
        var pooled = Assert.Single(summary.GetProperty("selection").EnumerateArray());
        Assert.Equal("round 0", pooled.GetProperty("row").GetString());
        Assert.Equal(JsonValueKind.Number, table["round 0"].GetProperty("selection_margin").GetProperty("mean").ValueKind);
        Assert.Equal("not run", rounds[1].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, rounds[1].GetProperty("auc").ValueKind);
        Assert.NotEmpty(root.GetProperty("ablations").EnumerateArray());

        var ablations = await File.ReadAllBytesAsync(Path.Combine(output, "ablations.png"), TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, ablations[..8]);
        var png = await File.ReadAllBytesAsync(Path.Combine(output, "auc_by_round.png"), TestContext.Current.CancellationToken);
        Assert.True(png.Length > 1000, $"the PNG has {png.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.True(Directory.Exists(Path.Combine(output, "models", "seed-3", "validator")));
    }

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
    public async Task Llm_mode_serves_the_chain_features_from_the_endpoint_and_leaves_rounds_to_trl()
    {
        await using var server = FakeOpenAiServer.Start(ScriptedPreferenceModel.Answer);
        var data = await WriteMovieLensAsync();
        var output = Path.Combine(_dir, "llm");

        var exit = await EvalCommand.Create().Parse(["--movielens", data, "--out", output, "--rounds", "1", "--epochs", "1", "--seeds", "1", "--no-ablations", "--bootstrap", "100",
                "--generator", "llm", "--llm-endpoint", server.Endpoint, "--llm-model", "test-model"])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null }, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Empty(server.HandlerErrors);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "eval.json"), TestContext.Current.CancellationToken));
        var run = json.RootElement.GetProperty("runs")[0];
        var round0 = run.GetProperty("rounds")[0];
        Assert.Equal("ok", round0.GetProperty("status").GetString());
        Assert.StartsWith("llm:test-model:", round0.GetProperty("versions").GetProperty("generator").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("llm:test-model:", round0.GetProperty("versions").GetProperty("validator").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, round0.GetProperty("validator_auc").ValueKind);
        Assert.Equal("not run", run.GetProperty("rounds")[1].GetProperty("status").GetString());
        // The same tables: B0..B2 beside Full.
        Assert.Equal(["B1", "B2"], run.GetProperty("baselines").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Contains(server.Requests, r => ScriptedPreferenceModel.RoleOf(r) == "validator");
    }

    [Fact]
    public async Task Eval_trains_every_row_with_dcn_and_the_scratch_encoder_when_asked_and_records_its_chain_settings()
    {
        var data = await WriteMovieLensAsync();
        var output = Path.Combine(_dir, "dcn");

        var exit = await EvalCommand.Create().Parse(["--movielens", data, "--out", output, "--rounds", "0", "--epochs", "2", "--seeds", "1", "--bootstrap", "100", "--no-ablations", "--backbone", "dcn", "--encoder", "scratch", "--samples", "3", "--held-out-outcomes", "4", "--reward", "balanced", "--embed-prompt", "false", "--min-labels", "4"])
            .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null }, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "eval.json"), TestContext.Current.CancellationToken));
        var run = json.RootElement.GetProperty("runs")[0];
        Assert.Equal("DCN", run.GetProperty("budget").GetProperty("backbone").GetString());
        Assert.Equal(JsonValueKind.Number, run.GetProperty("rounds")[0].GetProperty("auc").ValueKind);
        var chains = run.GetProperty("chains");
        Assert.Equal("scratch", chains.GetProperty("encoder").GetString());
        Assert.Equal(3, chains.GetProperty("samples").GetInt32());
        Assert.Equal(4, chains.GetProperty("held_out_outcomes").GetInt32());
        Assert.Equal("balanced", chains.GetProperty("reward").GetString());
        Assert.False(chains.GetProperty("embed_prompt").GetBoolean());
        Assert.Equal(4, chains.GetProperty("min_labels").GetInt32());
        // Without prompt embeddings Full has no prompt column: its features name none.
        Assert.DoesNotContain("prompt embedding", run.GetProperty("rounds")[0].GetProperty("features").GetString(), StringComparison.Ordinal);
        var encoder = Directory.GetDirectories(Path.Combine(output, "models", "seed-42", "encoder")).Single();
        Assert.True(File.Exists(Path.Combine(encoder, "model.onnx")), "the scratch encoder is a whole ONNX model, not an adapter");
    }

    [Theory]
    [InlineData("--backbone", "xgboost")]
    [InlineData("--encoder", "bge")]
    [InlineData("--samples", "1")]
    [InlineData("--held-out-outcomes", "0")]
    [InlineData("--reward", "precision")]
    [InlineData("--min-labels", "0")]
    [InlineData("--mind", ".")] // a second input beside --movielens
    [InlineData("--train-share", "1.5")]
    [InlineData("--rounds", "-1")]
    [InlineData("--epochs", "0")]
    public async Task Bad_options_exit_2_naming_the_option(string option, string value)
    {
        var data = await WriteMovieLensAsync();
        var error = new StringWriter();
        var saved = Console.Error;
        int exit;
        try
        {
            Console.SetError(error);
            exit = await EvalCommand.Create().Parse(["--movielens", data, "--out", Path.Combine(_dir, "bad"), option, value])
                .InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = error }, TestContext.Current.CancellationToken);
        }
        finally
        {
            Console.SetError(saved);
        }

        Assert.Equal(2, exit);
        Assert.Contains(option, error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "bad", "eval.json")));
    }

    // 40 users who each like two of five genres, 30 ratings each, interleaved in time.
    private async Task<string> WriteMovieLensAsync()
    {
        var dir = Path.Combine(_dir, "ml");
        if (Directory.Exists(dir))
            return dir;
        Directory.CreateDirectory(dir);
        var c = CultureInfo.InvariantCulture;
        var movies = new StringBuilder("movieId,title,genres\n");
        for (var m = 1; m <= 50; m++)
            movies.Append(c, $"{m},\"Movie {m} (2000)\",{Genres[m % 5]}{(m % 7 == 0 ? "|" + Genres[(m + 2) % 5] : "")}\n");
        var ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        var random = new Random(4);
        for (var r = 0; r < 30; r++)
            for (var u = 1; u <= 40; u++)
            {
                var movie = 1 + random.Next(50);
                var liked = movie % 5 == u % 5 || movie % 5 == (u + 2) % 5;
                var rating = liked ? (random.NextDouble() < 0.8 ? 4.5 : 2.5) : (random.NextDouble() < 0.15 ? 4.0 : 2.0);
                ratings.Append(c, $"{u},{movie},{rating:F1},{964982703 + (r * 40 + u) * 3600}\n");
            }
        await File.WriteAllTextAsync(Path.Combine(dir, "movies.csv"), movies.ToString(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "ratings.csv"), ratings.ToString(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "tags.csv"), "userId,movieId,tag,timestamp\n1,2,funny,964982800\n", TestContext.Current.CancellationToken);
        return dir;
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
