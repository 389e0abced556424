using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using TrackRec.Streaming.Feedback;
using Xunit;
using static TrackRec.Streaming.Tests.Feedback.FeedbackRecords;

namespace TrackRec.Streaming.Tests.Feedback;

public sealed class BatchFileWriterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("trackrec-batches-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static FeedbackBatch<long> Batch()
    {
        var batcher = new FeedbackBatcher<long>(2, new BatchOptions());
        batcher.Add(Preference("g1"), 7, At(7), T0);
        batcher.Add(Validator("imp1", clicked: true), 7, At(7), T0);
        batcher.Add(Validator("imp2", clicked: false), 9, At(9), T0.AddMinutes(1));
        return batcher.Cut()!;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Files_load_as_trl_preference_and_sft_data_and_the_manifest_hashes_match()
    {
        var store = new LocalDirectoryBatchStore(_root);
        var manifest = await new BatchFileWriter(store, new BatchOptions { OpenAiExport = true }).WriteAsync(Batch(), null, Ct);

        var dir = Path.Combine(_root, manifest.BatchId);
        Assert.Equal(["dpo.openai.jsonl", "dpo.trl.jsonl", "manifest.json", "sdpo.jsonl", "validator.jsonl", "validator.sft.jsonl"],
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var file in manifest.Files)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(dir, file.Name), Ct);
            Assert.Equal(file.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(file.Bytes, bytes.Length);
        }

        // TRL's conversational preference format: prompt, chosen, rejected, each a list of {role, content}.
        var dpo = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(dir, "dpo.trl.jsonl"), Ct))).RootElement;
        Assert.Equal(["prompt", "chosen", "rejected"], dpo.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["system", "user"], dpo.GetProperty("prompt").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("likes jazz", dpo.GetProperty("chosen")[0].GetProperty("content").GetString());
        Assert.Equal("assistant", dpo.GetProperty("rejected")[0].GetProperty("role").GetString());
        Assert.Equal("likes opera", dpo.GetProperty("rejected")[0].GetProperty("content").GetString()); // the worst chain

        var sft = (await File.ReadAllLinesAsync(Path.Combine(dir, "validator.sft.jsonl"), Ct)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["Yes", "No"], sft.Select(r => r.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString()));

        var openAi = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(dir, "dpo.openai.jsonl"), Ct))).RootElement;
        Assert.Equal(["input", "preferred_output", "non_preferred_output"], openAi.EnumerateObject().Select(p => p.Name));

        Assert.Equal((1, 2, 2), (manifest.PreferenceRecords, manifest.ValidatorRecords, manifest.Partition));
        Assert.Equal([Versions], manifest.ModelVersions);
        Assert.Null(manifest.Replay);
    }

    [Fact]
    public async Task Records_read_back_equal_to_what_was_written_and_the_batch_verifies()
    {
        var store = new LocalDirectoryBatchStore(_root);
        var batch = Batch();
        await new BatchFileWriter(store, new BatchOptions { Gzip = true }).WriteAsync(batch, new ReplayProvenance("job-1", "impressions:0:0-9"), Ct);
        var reader = new BatchReader(store);

        var manifest = Assert.Single(await reader.ManifestsAsync(Ct));
        Assert.Empty(await reader.VerifyAsync(manifest, Ct));
        Assert.All(manifest.Files, f => Assert.EndsWith(".jsonl.gz", f.Name, StringComparison.Ordinal));
        Assert.Equal(new ReplayProvenance("job-1", "impressions:0:0-9"), manifest.Replay);

        var preference = Assert.Single(await reader.PreferencesAsync(manifest, Ct));
        var original = batch.Preferences[0];
        Assert.Equal((original.GenerationId, original.ChosenIndex, original.Margin), (preference.GenerationId, preference.ChosenIndex, preference.Margin));
        Assert.Equal(original.RejectedIndexes, preference.RejectedIndexes);
        Assert.Equal(original.Prompt, preference.Prompt);
        Assert.Equal(original.Request.History[0] with { Categories = [] }, preference.Request.History[0] with { Categories = [] });
        Assert.Equal(original.Samples[0].Draft.Claims, preference.Samples[0].Draft.Claims);
        var validators = await reader.ValidatorRecordsAsync(manifest, Ct);
        Assert.Equal(["imp1", "imp2"], validators.Select(v => v.ImpressionId));
        Assert.Equal([true, false], validators.Select(v => v.Clicked));
    }

    [Fact]
    public async Task Rewriting_a_batch_gives_the_same_bytes_and_a_damaged_file_fails_verification()
    {
        var store = new LocalDirectoryBatchStore(_root);
        var writer = new BatchFileWriter(store, new BatchOptions { Gzip = true });
        var first = await writer.WriteAsync(Batch(), null, Ct);
        var second = await writer.WriteAsync(Batch(), null, Ct);

        Assert.Equal(first.BatchId, second.BatchId);
        Assert.Equal(first.Files.Select(f => f.Sha256), second.Files.Select(f => f.Sha256));
        Assert.Single(await store.ListBatchesAsync(Ct));

        var victim = Path.Combine(_root, first.BatchId, first.Files[0].Name);
        await File.WriteAllBytesAsync(victim, [1, 2, 3], Ct);
        var problem = Assert.Single(await new BatchReader(store).VerifyAsync(first, Ct));
        Assert.Contains(first.Files[0].Name, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_manifest_is_written_after_every_file()
    {
        var store = new RecordingStore(new LocalDirectoryBatchStore(_root));

        await new BatchFileWriter(store, new BatchOptions()).WriteAsync(Batch(), null, Ct);

        Assert.Equal(BatchManifest.FileName, store.Writes[^1]);
        Assert.Equal(5, store.Writes.Count);
    }

    [Fact]
    public async Task A_batch_without_its_manifest_is_not_listed()
    {
        var store = new LocalDirectoryBatchStore(_root);
        await store.WriteFileAsync("p000-partial", "dpo.trl.jsonl", new byte[] { 1 }, Ct);

        Assert.Empty(await store.ListBatchesAsync(Ct));
        Assert.Empty(await new BatchReader(store).ManifestsAsync(Ct));
    }

    private sealed class RecordingStore(IBatchStore inner) : IBatchStore
    {
        public List<string> Writes { get; } = [];
        public string Location => inner.Location;

        public Task WriteFileAsync(string batchId, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
        {
            Writes.Add(fileName);
            return inner.WriteFileAsync(batchId, fileName, content, cancellationToken);
        }

        public Task CommitManifestAsync(string batchId, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken)
        {
            Writes.Add(BatchManifest.FileName);
            return inner.CommitManifestAsync(batchId, manifest, cancellationToken);
        }

        public Task<IReadOnlyList<string>> ListBatchesAsync(CancellationToken cancellationToken) => inner.ListBatchesAsync(cancellationToken);

        public Task<byte[]?> ReadFileAsync(string batchId, string fileName, CancellationToken cancellationToken) => inner.ReadFileAsync(batchId, fileName, cancellationToken);
    }
}
