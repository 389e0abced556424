using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace TrackRec.Streaming.Feedback;

/// <summary>Reads batches back for training: the manifests, each file checked against its SHA-256, and the full records.</summary>
public sealed class BatchReader(IBatchStore store)
{
    private readonly IBatchStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Every durable batch's manifest, in id order.</summary>
    public async Task<IReadOnlyList<BatchManifest>> ManifestsAsync(CancellationToken cancellationToken)
    {
        var manifests = new List<BatchManifest>();
        foreach (var id in await _store.ListBatchesAsync(cancellationToken).ConfigureAwait(false))
        {
            var bytes = await _store.ReadFileAsync(id, BatchManifest.FileName, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"batch {id}: manifest vanished");
            manifests.Add(JsonSerializer.Deserialize<BatchManifest>(bytes, BatchJson.Options) ?? throw new InvalidDataException($"batch {id}: empty manifest"));
        }
        return manifests;
    }

    /// <summary>The files of a batch whose bytes do not match the manifest (missing, wrong size or hash); empty when it is intact.</summary>
    public async Task<IReadOnlyList<string>> VerifyAsync(BatchManifest manifest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var problems = new List<string>();
        foreach (var file in manifest.Files)
        {
            var bytes = await _store.ReadFileAsync(manifest.BatchId, file.Name, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
                problems.Add($"{manifest.BatchId}/{file.Name}: missing");
            else if (bytes.Length != file.Bytes || Convert.ToHexStringLower(SHA256.HashData(bytes)) != file.Sha256)
                problems.Add($"{manifest.BatchId}/{file.Name}: content does not match the manifest's SHA-256");
        }
        return problems;
    }

    /// <summary>The preference records of a batch (from its S-DPO file).</summary>
    public Task<IReadOnlyList<PreferenceRecord>> PreferencesAsync(BatchManifest manifest, CancellationToken cancellationToken) =>
        ReadAsync<PreferenceRecord>(manifest, "sdpo", cancellationToken);

    /// <summary>The validator records of a batch.</summary>
    public Task<IReadOnlyList<ValidatorRecord>> ValidatorRecordsAsync(BatchManifest manifest, CancellationToken cancellationToken) =>
        ReadAsync<ValidatorRecord>(manifest, "validator", cancellationToken);

    /// <summary>The lines of one file of a batch, decompressed.</summary>
    public async Task<IReadOnlyList<string>> LinesAsync(BatchManifest manifest, string format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var file = manifest.Files.FirstOrDefault(f => f.Format == format);
        if (file is null)
            return [];
        var bytes = await _store.ReadFileAsync(manifest.BatchId, file.Name, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{manifest.BatchId}/{file.Name}: missing");
        using var raw = new MemoryStream(bytes);
        using Stream stream = file.Name.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(raw, CompressionMode.Decompress) : raw;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<string>(file.Records);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
                lines.Add(line);
        }
        return lines;
    }

    private async Task<IReadOnlyList<T>> ReadAsync<T>(BatchManifest manifest, string format, CancellationToken cancellationToken)
    {
        var lines = await LinesAsync(manifest, format, cancellationToken).ConfigureAwait(false);
        return lines.Select(l => JsonSerializer.Deserialize<T>(l, BatchJson.Options) ?? throw new InvalidDataException($"{manifest.BatchId}: empty {format} record")).ToList();
    }
}
