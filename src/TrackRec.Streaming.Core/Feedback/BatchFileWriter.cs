using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Feedback;

/// <summary>
/// Writes a cut batch as files for retraining jobs, then its manifest:
/// <list type="bullet">
/// <item><c>dpo.trl.jsonl</c>: Hugging Face TRL's conversational preference format (<c>prompt</c>, <c>chosen</c>,
/// <c>rejected</c> as message lists; the rejected is the worst chain, as plain DPO takes one), loadable with
/// <c>datasets.load_dataset("json", ...)</c> and fed to <c>DPOTrainer</c>;</item>
/// <item><c>sdpo.jsonl</c>: the full preference records (every rejected chain, rewards, margin, labels,
/// versions, the generator's request), which S-DPO and the embedded policy train on;</item>
/// <item><c>validator.sft.jsonl</c>: TRL's conversational language-modelling format, the validator's question
/// answered Yes (clicked) or No; <c>validator.jsonl</c>: the full validator records;</item>
/// <item><c>dpo.openai.jsonl</c> on request: OpenAI's preference fine-tuning format.</item>
/// </list>
/// File contents depend only on the records, so rewriting a batch gives the same bytes and hashes.
/// </summary>
public sealed class BatchFileWriter(IBatchStore store, BatchOptions options)
{
    private readonly IBatchStore _store = store ?? throw new ArgumentNullException(nameof(store));
    private readonly BatchOptions _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The store written to.</summary>
    public IBatchStore Store => _store;

    /// <summary>Writes every file of <paramref name="batch"/>, then the manifest; returns the manifest.</summary>
    public async Task<BatchManifest> WriteAsync<TOrigin>(FeedbackBatch<TOrigin> batch, ReplayProvenance? replay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var files = new List<BatchFile>();
        async Task WriteAsync<T>(string name, string format, IReadOnlyList<T> records, Func<T, JsonNode> line)
        {
            var content = Encode(records.Select(line));
            var fileName = _options.Gzip ? name + ".gz" : name;
            await _store.WriteFileAsync(batch.BatchId, fileName, content, cancellationToken).ConfigureAwait(false);
            files.Add(new BatchFile(fileName, format, records.Count, content.Length, Convert.ToHexStringLower(SHA256.HashData(content))));
        }

        await WriteAsync("dpo.trl.jsonl", "trl-dpo", batch.Preferences, TrlPreference).ConfigureAwait(false);
        await WriteAsync("sdpo.jsonl", "sdpo", batch.Preferences, r => JsonSerializer.SerializeToNode(r, BatchJson.Options)!).ConfigureAwait(false);
        await WriteAsync("validator.sft.jsonl", "trl-sft", batch.ValidatorRecords, TrlValidator).ConfigureAwait(false);
        await WriteAsync("validator.jsonl", "validator", batch.ValidatorRecords, r => JsonSerializer.SerializeToNode(r, BatchJson.Options)!).ConfigureAwait(false);
        if (_options.OpenAiExport)
            await WriteAsync("dpo.openai.jsonl", "openai-preference", batch.Preferences, OpenAiPreference).ConfigureAwait(false);

        var manifest = new BatchManifest(
            BatchManifest.CurrentFormat,
            batch.BatchId,
            batch.Partition,
            batch.InputRanges,
            batch.FirstEventTime,
            batch.LastEventTime,
            batch.Preferences.Select(p => p.Versions).Concat(batch.ValidatorRecords.Select(v => v.Versions)).Distinct().ToList(),
            batch.Preferences.Count,
            batch.ValidatorRecords.Count,
            files,
            replay);
        await _store.CommitManifestAsync(batch.BatchId, JsonSerializer.SerializeToUtf8Bytes(manifest, BatchJson.Manifest), cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>A preference record as a TRL conversational preference row (worst chain as rejected).</summary>
    public static JsonObject TrlPreference(PreferenceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new JsonObject
        {
            ["prompt"] = Messages(record.Prompt),
            ["chosen"] = Messages([new PromptMessage("assistant", record.Chosen.Draft.Text)]),
            ["rejected"] = Messages([new PromptMessage("assistant", record.Samples[record.RejectedIndexes[^1]].Draft.Text)]),
        };
    }

    /// <summary>A validator record as a TRL conversational language-modelling row: the question and the observed answer.</summary>
    public static JsonObject TrlValidator(ValidatorRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new JsonObject { ["messages"] = Messages([.. record.Prompt, new PromptMessage("assistant", record.Clicked ? "Yes" : "No")]) };
    }

    /// <summary>A preference record in OpenAI's preference fine-tuning format.</summary>
    public static JsonObject OpenAiPreference(PreferenceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new JsonObject
        {
            ["input"] = new JsonObject { ["messages"] = Messages(record.Prompt) },
            ["preferred_output"] = Messages([new PromptMessage("assistant", record.Chosen.Draft.Text)]),
            ["non_preferred_output"] = Messages([new PromptMessage("assistant", record.Samples[record.RejectedIndexes[^1]].Draft.Text)]),
        };
    }

    private static JsonArray Messages(IEnumerable<PromptMessage> messages) =>
        new(messages.Select(m => (JsonNode?)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray());

    private byte[] Encode(IEnumerable<JsonNode> lines)
    {
        using var buffer = new MemoryStream();
        // mtime 0 and no file name in the gzip header, so the same records give the same bytes.
        using (Stream target = _options.Gzip ? new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true) : buffer)
        {
            foreach (var line in lines)
            {
                target.Write(Encoding.UTF8.GetBytes(line.ToJsonString()));
                target.WriteByte((byte)'\n');
            }
        }
        return buffer.ToArray();
    }
}
