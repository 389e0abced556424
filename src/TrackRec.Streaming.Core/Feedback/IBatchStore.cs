namespace TrackRec.Streaming.Feedback;

/// <summary>
/// Where batch files live. A batch is a set of files plus a manifest that is written last and atomically,
/// so a reader that sees a manifest sees complete files. The local directory store is the default; an
/// object store (S3, GCS, Azure Blob) implements the same five calls: a put per file, a put of the manifest
/// after them (object puts are atomic), a list of manifests and a get.
/// </summary>
public interface IBatchStore
{
    /// <summary>Where the batches go, for logs and summaries.</summary>
    string Location { get; }

    /// <summary>Writes (or rewrites) one file of a batch durably.</summary>
    Task WriteFileAsync(string batchId, string fileName, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Writes the batch's manifest last and atomically: after it returns, the batch is durable.</summary>
    Task CommitManifestAsync(string batchId, ReadOnlyMemory<byte> manifest, CancellationToken cancellationToken);

    /// <summary>Ids of the batches whose manifest is durable, in id order.</summary>
    Task<IReadOnlyList<string>> ListBatchesAsync(CancellationToken cancellationToken);

    /// <summary>Reads a file of a batch (the manifest is <see cref="BatchManifest.FileName"/>); null when absent.</summary>
    Task<byte[]?> ReadFileAsync(string batchId, string fileName, CancellationToken cancellationToken);
}
