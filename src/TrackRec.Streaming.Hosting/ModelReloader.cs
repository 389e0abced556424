using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Hosting.Roles;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Hosting;

/// <summary>
/// Picks up model versions a retraining job publishes: every <see cref="ModelOptions.ReloadInterval"/> it
/// compares the model directory's CURRENT versions with the ones serving and, when one moved, loads the new
/// set and hands it to the chain writer. Generations under way finish with the versions they started with;
/// every feature and chain record carries the versions that made it, and the replaced set is disposed once they are
/// done. A set that fails to load is logged and the serving one kept, so a half-published or broken version never
/// takes the worker down. Roles that do not come from configuration (<see cref="IModelRoleProvider.FromConfiguration"/>)
/// are never reloaded.
/// </summary>
public sealed class ModelReloader(
    GenerationOrchestrator writer,
    IModelRoleProvider roles,
    IOptions<ModelOptions> options,
    IOptions<OnnxEncoderOptions> encoder,
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
            var loaded = roles.Load();
            Retired = DisposeWhenIdleAsync(writer.Use(loaded), loaded);
            logger.LogInformation("Serving new model versions {Versions} (was {Previous})", loaded.Versions, serving);
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException)
        {
            logger.LogError(ex, "New versions of {Roles} could not be loaded; keeping {Versions}", string.Join(", ", moved), serving);
            return false;
        }
    }

    /// <summary>Completes when the roles the last reload replaced have been disposed (after their last call).</summary>
    public Task Retired { get; private set; } = Task.CompletedTask;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!roles.FromConfiguration || _options.ReloadInterval <= TimeSpan.Zero || _options.Backend != ModelBackend.Embedded || _options.Versions.Count > 0)
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

    // An ONNX session or HTTP client the new set does not share is released once no generation uses the old set.
    private async Task DisposeWhenIdleAsync(Task<ChainRoles> replaced, ChainRoles current)
    {
        var old = await replaced.ConfigureAwait(false);
        var kept = Parts(current).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var part in Parts(old).Distinct(ReferenceEqualityComparer.Instance).Where(p => !kept.Contains(p)).OfType<IDisposable>())
        {
            try
            {
                part.Dispose();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Releasing a replaced model role failed");
            }
        }
    }

    private static IEnumerable<object> Parts(ChainRoles set) =>
        new object?[] { set.Generator, set.Validator, set.Reflector, set.Explorer, set.Encoder, set.Scorer }.OfType<object>();
}
