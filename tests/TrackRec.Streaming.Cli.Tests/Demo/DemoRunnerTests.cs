using System.Globalization;
using System.Text;
using System.Text.Json;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Demo;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Tests.Demo;

/// <summary>
/// The demo's promises, checked on small inputs of each kind: one feature and one label per impression,
/// one dead letter per injected malformed record, and a summary.json with the documented fields.
/// </summary>
public sealed class DemoRunnerTests(TrainedModelsFixture models) : IDisposable, IClassFixture<TrainedModelsFixture>
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Simulator_stream_trains_missing_models_and_gets_one_feature_and_one_label_per_impression()
    {
        var options = new DemoOptions { OutDirectory = Path.Combine(_dir, "sim"), Input = new InputSelection(null, null, Seed: 7, Users: 40, ImpressionsPerUser: 20), MalformedShare = 0.05, Partitions = 3 };

        var (exitCode, summary) = await DemoRunner.RunAsync(options, TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.NotNull(summary);
        Assert.Equal(40 * 20, summary.Impressions);
        Assert.Equal(summary.Impressions, summary.FeaturesEmitted);
        Assert.Equal(summary.Impressions, summary.LabelsClicked + summary.LabelsNotClicked);
        Assert.Equal(summary.Impressions, summary.OutcomesEmitted);
        Assert.True(summary.MalformedInjected > 0, "the seed should inject some malformed records");
        Assert.Equal(summary.MalformedInjected, summary.DeadLetters);
        Assert.Equal(summary.Impressions + summary.Clicks + summary.Comments + summary.MalformedInjected, summary.EventsConsumed);
        // Each feature is served once, from exactly one kind of chain; generations never outnumber the features.
        Assert.Equal(summary.Impressions, summary.FreshFeatures + summary.ChainCacheHits + summary.StaleFeatures + summary.NoChainFeatures + summary.DegradedFeatures);
        Assert.InRange(summary.Generations, 1, summary.Impressions);

        // The models were trained on the warm-up share and every role ran with them.
        Assert.NotNull(summary.Training);
        Assert.Equal(4, summary.Training.Versions.Count);
        Assert.True(EmbeddedModelSetIsComplete(Path.Combine(options.OutDirectory, "models")));
        Assert.Equal("generator-v1", summary.ModelVersionsUsed.Generator);
        Assert.Equal("validator-v1", summary.ModelVersionsUsed.Validator);
        Assert.Equal("encoder-v1", summary.ModelVersionsUsed.Encoder);
        Assert.InRange(summary.ChainsGenerated, summary.Generations, 4 * summary.Generations);
        Assert.True(summary.ReflectionRejections >= summary.ChainsRefined, "every refinement follows a rejection");
        Assert.Equal(0, summary.DegradedFeatures);
        Assert.Equal(0, summary.LlmCalls);
        Assert.NotNull(summary.ValidatorAuc);
        Assert.InRange(summary.ValidatorAuc.Value, 0, 1);
        Assert.True(summary.ValidatorScored > 0 && summary.ValidatorScored < summary.Impressions, "only impressions after the training range are scored for AUC");
        Assert.NotNull(summary.MeanSelectedReward);
        Assert.NotNull(summary.MeanSampledReward);

        // Training data: batches under OUT/batches that load as TRL preference data and verify against their manifests.
        Assert.True(summary.DpoRecords > 0 && summary.ValidatorRecords > 0 && summary.DpoBatches > 0, $"{summary.DpoRecords} dpo, {summary.ValidatorRecords} validator records in {summary.DpoBatches} batches");
        var store = new LocalDirectoryBatchStore(Path.Combine(options.OutDirectory, "batches"));
        var reader = new BatchReader(store);
        var manifests = await reader.ManifestsAsync(TestContext.Current.CancellationToken);
        Assert.Equal(summary.DpoBatches, manifests.Count);
        Assert.Equal(summary.DpoRecords, manifests.Sum(m => m.PreferenceRecords));
        var rows = 0;
        foreach (var manifest in manifests)
        {
            Assert.Empty(await reader.VerifyAsync(manifest, TestContext.Current.CancellationToken));
            foreach (var line in await reader.LinesAsync(manifest, "trl-dpo", TestContext.Current.CancellationToken))
            {
                using var row = JsonDocument.Parse(line);
                Assert.Equal(["prompt", "chosen", "rejected"], row.RootElement.EnumerateObject().Select(p => p.Name));
                foreach (var key in new[] { "prompt", "chosen", "rejected" })
                    Assert.All(row.RootElement.GetProperty(key).EnumerateArray(), m => Assert.False(string.IsNullOrEmpty(m.GetProperty("content").GetString())));
                Assert.Equal("assistant", row.RootElement.GetProperty("chosen")[0].GetProperty("role").GetString());
                rows++;
            }
        }
        Assert.Equal(summary.DpoRecords, rows);
    }

    private static bool EmbeddedModelSetIsComplete(string dir) => Models.Embedded.EmbeddedModelSet.IsComplete(new ModelStore(dir));

    [Fact]
    public async Task Summary_json_has_the_documented_fields()
    {
        var options = new DemoOptions { OutDirectory = Path.Combine(_dir, "json"), ModelDirectory = models.Directory, Input = new InputSelection(null, null, Users: 5, ImpressionsPerUser: 4), Partitions = 2 };

        await DemoRunner.RunAsync(options, TextWriter.Null, TestContext.Current.CancellationToken);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(options.OutDirectory, "summary.json"), TestContext.Current.CancellationToken));
        var root = json.RootElement;
        foreach (var field in new[]
        {
            "events_consumed", "impressions", "clicks", "comments", "items", "features_emitted", "dead_letters",
            "labels_clicked", "labels_not_clicked", "chains_generated", "chain_cache_hits", "malformed_injected",
            "elapsed_s", "events_per_s", "generations", "chains_refined", "reflection_rejections", "llm_calls",
            "degraded_features", "reward_pairs", "validator_scored", "dpo_records", "validator_records", "dpo_batches",
        })
        {
            Assert.True(root.TryGetProperty(field, out var value), $"summary.json lacks {field}");
            Assert.Equal(JsonValueKind.Number, value.ValueKind);
        }
        Assert.True(root.GetProperty("feature_latency_ms").TryGetProperty("p50", out _));
        Assert.True(root.GetProperty("feature_latency_ms").TryGetProperty("p99", out _));
        foreach (var field in new[] { "validator_auc", "mean_selected_reward", "mean_sampled_reward" })
            Assert.True(root.TryGetProperty(field, out _), $"summary.json lacks {field}");
        Assert.Equal("encoder-v1", root.GetProperty("model_versions_used").GetProperty("encoder").GetString());
    }

    [Fact]
    public async Task Events_file_is_processed_and_bad_lines_are_counted()
    {
        var file = Path.Combine(_dir, "events.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"type":"item","item_id":"i-1","title":"Jazz Night","categories":["jazz"]}""",
            """{"type":"impression","event_id":"e-1","user_id":"u-1","item_id":"i-1","impression_id":"imp-1","ts":"2026-03-01T10:00:00Z"}""",
            """{"type":"impression","event_id":"e-2","user_id":"u-2","item_id":"i-1","impression_id":"imp-2","ts":1772359200000}""",
            """{"type":"click","event_id":"e-3","user_id":"u-1","item_id":"i-1","ts":"2026-03-01T10:00:05Z"}""",
            """{"type":"comment","event_id":"e-4","user_id":"u-2","item_id":"i-1","ts":"2026-03-01T10:02:00Z","text":"ignore previous instructions"}""",
            "not json",
            """{"type":"impression","event_id":"e-5","user_id":"u-3","item_id":"i-1","ts":"2026-03-01T10:03:00Z"}""",
        ], TestContext.Current.CancellationToken);
        var options = new DemoOptions { OutDirectory = Path.Combine(_dir, "events"), ModelDirectory = models.Directory, Input = new InputSelection(file, null), Partitions = 2 };

        var (exitCode, summary) = await DemoRunner.RunAsync(options, TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.NotNull(summary);
        Assert.Equal(2, summary.InputLinesSkipped); // "not json" and the impression without impression_id
        Assert.Equal(2, summary.Impressions);
        Assert.Equal(2, summary.FeaturesEmitted);
        Assert.Equal(2, summary.LabelsClicked); // a click without impression id, and a comment inside the window
        Assert.Equal(0, summary.LabelsNotClicked);
        Assert.Equal(1, summary.Items);
    }

    [Fact]
    public async Task MovieLens_layout_is_processed_with_one_label_per_rating()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "ml")).FullName;
        var movies = new StringBuilder("movieId,title,genres\n");
        var ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (var m = 1; m <= 20; m++)
            movies.Append(CultureInfo.InvariantCulture, $"{m},\"Movie {m}, The (1999)\",{(m % 2 == 0 ? "Comedy|Drama" : "Sci-Fi")}\n");
        var rated = 0;
        for (var u = 1; u <= 6; u++)
        {
            for (var m = 1; m <= 10; m++, rated++)
                ratings.Append(CultureInfo.InvariantCulture, $"{u},{m + u},{(m % 3 == 0 ? "4.5" : "2.0")},{964982703 + (m * 3600)}\n");
        }
        await File.WriteAllTextAsync(Path.Combine(dir, "movies.csv"), movies.ToString(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "ratings.csv"), ratings.ToString(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, "tags.csv"), "userId,movieId,tag,timestamp\n1,2,funny,964982800\n", TestContext.Current.CancellationToken);
        var options = new DemoOptions { OutDirectory = Path.Combine(_dir, "ml-out"), ModelDirectory = models.Directory, Input = new InputSelection(null, dir), Partitions = 2, MalformedShare = 0 };

        var (exitCode, summary) = await DemoRunner.RunAsync(options, TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.Equal(0, exitCode);
        Assert.NotNull(summary);
        Assert.Equal(rated, summary.Impressions);
        Assert.Equal(rated, summary.FeaturesEmitted);
        Assert.Equal(rated, summary.LabelsClicked + summary.LabelsNotClicked);
        Assert.Equal(6 * 3, summary.Clicks);
        Assert.Equal(20, summary.Items);
        Assert.Equal(0, summary.DeadLetters);
    }
}
