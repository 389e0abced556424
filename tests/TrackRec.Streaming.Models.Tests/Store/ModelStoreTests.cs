using System.Text.Json;
using TrackRec.Streaming.Models.Store;
using TrackRec.Streaming.Tests.Onnx;

namespace TrackRec.Streaming.Tests.Store;

public sealed class ModelStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // Regression: an AUC on a one-class validation split is NaN and a log loss can be infinite; JSON has
    // neither, so Publish threw from the serializer and the demo ended in a stack trace.
    [Fact]
    public void A_metric_that_could_not_be_measured_is_left_out_of_the_card()
    {
        var store = new ModelStore(_dir.Path);
        var card = new ModelCard
        {
            Name = "validator",
            Version = "validator-v1",
            CreatedAt = DateTimeOffset.UnixEpoch,
            TrainingData = new TrainingDataRange("test", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, 1),
            Metrics = new Dictionary<string, double> { ["train_loss"] = 0.5, ["validation_auc"] = double.NaN, ["validation_logloss"] = double.PositiveInfinity, ["floor"] = double.NegativeInfinity },
        };

        var published = store.Publish(card, dir => File.WriteAllText(Path.Combine(dir, "w.json"), "{}"));

        Assert.Equal(["train_loss"], published.Metrics.Keys);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(store.DirectoryOf("validator", "validator-v1"), "card.json")));
        Assert.Equal(["train_loss"], json.RootElement.GetProperty("metrics").EnumerateObject().Select(p => p.Name));
        Assert.Equal(published.Metrics, store.Current("validator")!.Metrics);
    }

    [Fact]
    public void Publish_records_each_file_hash_and_Verify_names_a_changed_or_missing_file()
    {
        var store = new ModelStore(_dir.Path);
        var card = store.Publish(
            new ModelCard { Name = "explorer", Version = "explorer-v1", CreatedAt = DateTimeOffset.UnixEpoch, TrainingData = new TrainingDataRange("test", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 1, 1) },
            dir =>
            {
                File.WriteAllText(Path.Combine(dir, "a.json"), "{\"x\":1}");
                File.WriteAllText(Path.Combine(dir, "b.json"), "{}");
            });

        Assert.Equal(["a.json", "b.json"], card.Sha256.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(card.Sha256, store.Current("explorer")!.Sha256);
        store.Verify(card);

        File.WriteAllText(store.PathOf(card, "a.json"), "{\"x\":2}");
        Assert.Contains("a.json does not match the SHA-256", Assert.Throws<ModelIntegrityException>(() => store.Verify(card)).Message, StringComparison.Ordinal);
        File.Delete(store.PathOf(card, "b.json"));
        File.WriteAllText(store.PathOf(card, "a.json"), "{\"x\":1}");
        Assert.Contains("b.json is missing", Assert.Throws<ModelIntegrityException>(() => store.Verify(card)).Message, StringComparison.Ordinal);
    }
}
