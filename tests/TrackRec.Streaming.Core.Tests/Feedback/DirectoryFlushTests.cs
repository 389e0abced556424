using TrackRec.Streaming.Feedback;
using Xunit;

namespace TrackRec.Streaming.Tests.Feedback;

public sealed class DirectoryFlushTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("trackrec-flush-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_directory_is_flushed_and_a_missing_one_is_an_error_naming_it()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "NTFS journals renames; there is nothing to flush");

        DirectoryFlush.Flush(_root);

        var missing = Path.Combine(_root, "no-such-batch");
        var e = Assert.Throws<IOException>(() => DirectoryFlush.Flush(missing));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_committed_batch_is_listed_after_its_directories_are_flushed()
    {
        var store = new LocalDirectoryBatchStore(_root);

        await store.WriteFileAsync("b-1", "sdpo.jsonl", "{}\n"u8.ToArray(), TestContext.Current.CancellationToken);
        await store.CommitManifestAsync("b-1", "{}"u8.ToArray(), TestContext.Current.CancellationToken);

        Assert.Equal(["b-1"], await store.ListBatchesAsync(TestContext.Current.CancellationToken));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "b-1"), "*.tmp-*"));
    }
}
