using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Hosting.Retraining;

/// <summary>
/// TrackRec's loop inside the worker: every <see cref="RetrainingOptions.Interval"/>, once enough new batches
/// made by the serving generator are durable, the generator is updated by S-DPO on them and the validator
/// retrained (by the <see cref="IModelRetrainer"/> the host was given), and both are published; <see cref="ModelReloader"/> then serves them without a restart. Only
/// batches of the current generator are used (on-policy), and each batch once: the batches a version trained
/// on are named in its model card. Training runs off the consume loop; a failed round is logged and retried.
/// </summary>
public sealed class BatchRetrainingService(
    IOptions<RetrainingOptions> options,
    IOptions<ModelOptions> models,
    IBatchStore batches,
    IModelRetrainer retrainer,
    TimeProvider time,
    ILogger<BatchRetrainingService> logger) : BackgroundService
{
    private readonly RetrainingOptions _options = options.Value;

    /// <summary>Runs a round when enough new batches are there; returns the new generator version, or null.</summary>
    public async Task<string?> RunOnceAsync(CancellationToken ct)
    {
        var store = new ModelStore(models.Value.Directory);
        var current = store.Current(EmbeddedModelFiles.Generator);
        if (current is null)
            return null;
        var used = store.Versions(EmbeddedModelFiles.Generator)
            .SelectMany(v => store.Load(EmbeddedModelFiles.Generator, v).Settings.GetValueOrDefault("batches", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        bool Fresh(BatchManifest m) => !used.Contains(m.BatchId) && m.ModelVersions.Any(v => v.Generator == current.Version) && m.PreferenceRecords > 0;
        var ready = (await new BatchReader(batches).ManifestsAsync(ct).ConfigureAwait(false)).Where(Fresh).ToList();
        if (ready.Count < _options.MinNewBatches)
            return null;
        var report = await retrainer.RetrainAsync(store, batches, ready, _options, ct).ConfigureAwait(false);
        logger.LogInformation(
            "Retrained on {Batches} batches: {Generator} (from {Parent}, preference loss {Initial:F4} -> {Loss:F4}), {Validator}",
            report.Batches, report.Generator, report.ParentGenerator, report.InitialLoss, report.Loss, report.Validator ?? "validator unchanged");
        return report.Generator;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
            return;
        if (models.Value.Backend != ModelBackend.Embedded)
        {
            // The LLM's generator trains outside (TRL on the same batches, README); retraining the embedded policy would serve nothing.
            logger.LogWarning("TrackRec:Retraining is on but TrackRec:Models:Backend is {Backend}: the worker does not retrain an LLM", models.Value.Backend);
            return;
        }
        using var timer = new PeriodicTimer(_options.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException or System.Text.Json.JsonException)
                {
                    logger.LogError(ex, "Retraining round failed; the serving models stay, the next interval tries again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
