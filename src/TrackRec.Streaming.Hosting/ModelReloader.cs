using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Hosting;

/// <summary>
/// Picks up model versions a retraining job publishes: every <see cref="ModelOptions.ReloadInterval"/> it
/// compares the model directory's CURRENT versions with the ones serving and, when one moved, loads the new
/// set and hands it to the chain writer. Generations under way finish with the versions they started with;
/// every feature and chain record carries the versions that made it. A set that fails to load is logged and
/// the serving one kept, so a half-published or broken version never takes the worker down.
/// </summary>
public sealed class ModelReloader(
    GenerationOrchestrator writer,
    IOptions<ModelOptions> options,
    IOptions<OnnxEncoderOptions> encoder,
    IConfiguration configuration,
    ModelCallCounters counters,
    TimeProvider time,
    ILogger<ModelReloader> logger) : BackgroundService
{
    private readonly ModelOptions _options = options.Value;

    /// <summary>Checks once; true when new versions were loaded and now serve.</summary>
    public bool CheckOnce()
    {
        var store = new ModelStore(_options.Directory);
        var serving = writer.Roles.Versions;
        var current = new Dictionary<string, string?>
        {
            [EmbeddedModelFiles.Generator] = store.Current(EmbeddedModelFiles.Generator)?.Version,
            [EmbeddedModelFiles.Validator] = store.Current(EmbeddedModelFiles.Validator)?.Version,
            [EmbeddedModelFiles.Explorer] = store.Current(EmbeddedModelFiles.Explorer)?.Version,
        };
        if (!EncoderOptionsValidator.IsConfigured(encoder.Value))
            current[EmbeddedModelFiles.Encoder] = store.Current(EmbeddedModelFiles.Encoder)?.Version;
        var moved = current.Where(kv => kv.Value is not null && kv.Value != Serving(serving, kv.Key)).Select(kv => kv.Key).ToList();
        if (moved.Count == 0)
            return false;
        try
        {
            var roles = ModelRoleFactory.Create(_options, encoder.Value, configuration, counters);
            writer.Use(roles);
            logger.LogInformation("Serving new model versions {Versions} (was {Previous})", roles.Versions, serving);
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException)
        {
            logger.LogError(ex, "New versions of {Roles} could not be loaded; keeping {Versions}", string.Join(", ", moved), serving);
            return false;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_options.ReloadInterval <= TimeSpan.Zero || _options.Backend != ModelBackend.Embedded || _options.Versions.Count > 0)
            return;
        using var timer = new PeriodicTimer(_options.ReloadInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                CheckOnce();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static string Serving(ModelVersions versions, string role) => role switch
    {
        EmbeddedModelFiles.Generator => versions.Generator,
        EmbeddedModelFiles.Validator => versions.Validator,
        EmbeddedModelFiles.Explorer => versions.Explorer,
        _ => versions.Encoder,
    };
}
