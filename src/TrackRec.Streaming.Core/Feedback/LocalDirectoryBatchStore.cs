namespace TrackRec.Streaming.Feedback;

/// <summary>
/// Batches as directories under a root: <c>ROOT/BATCH_ID/{files, manifest.json}</c>. Every file is written to
/// a temporary name, flushed to disk and renamed into place, so a crash leaves either the old file, the new
/// one, or a stray temporary file that no manifest names. Committing the manifest then flushes the batch's
/// directory and the root, so that once it returns (and the worker commits the batch's input offsets) the
/// renames and the batch's directory survive a crash too.
/// </summary>
public sealed class LocalDirectoryBatchStore(string root) : IBatchStore
{
    private readonly string _root = Path.GetFullPath(root ?? throw new ArgumentNullException(nameof(root)));

    /// <inheritdoc />
    public string Location => _root;

    /// <inheritdoc />
    public Task WriteFileAsync(string batchId, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WriteAtomicallyAsync(PathOf(batchId, fileName), content, cancellationToken);

    /// <inheritdoc />
    public async Task CommitManifestAsync(string batchId, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken)
    {
        var path = PathOf(batchId, BatchManifest.FileName);
        await WriteAtomicallyAsync(path, manifest, cancellationToken).ConfigureAwait(false);
        // One flush of the batch's directory makes every rename into it durable, the files' and the manifest's.
        DirectoryFlush.Flush(Path.GetDirectoryName(path)!);
        DirectoryFlush.Flush(_root);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListBatchesAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> ids = Directory.Exists(_root)
            ? Directory.EnumerateDirectories(_root)
                .Where(d => File.Exists(Path.Combine(d, BatchManifest.FileName)))
                .Select(Path.GetFileName)
                .OfType<string>()
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return Task.FromResult(ids);
    }

    /// <inheritdoc />
    public async Task<byte[]?> ReadFileAsync(string batchId, string fileName, CancellationToken cancellationToken)
    {
        var path = PathOf(batchId, fileName);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
    }

    private string PathOf(string batchId, string fileName)
    {
        // Ids and names are ours, but a path must never escape the root whatever they hold.
        if (batchId.IndexOfAny(['/', '\\']) >= 0 || batchId is "." or ".." || fileName.IndexOfAny(['/', '\\']) >= 0 || fileName is "." or "..")
            throw new ArgumentException($"invalid batch file {batchId}/{fileName}");
        return Path.Combine(_root, batchId, fileName);
    }

    private static async Task WriteAtomicallyAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.tmp-{Guid.NewGuid():N}";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }
}
