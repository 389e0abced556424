namespace TrackRec.Streaming.Cli.Commands;

/// <summary>
/// Settings every bounded job (demo, replay) lays over appsettings.json, which is written for `run`: no health
/// endpoints, and Warning-level logs, since the job's own output (summary, progress) is what a person reads.
/// Given as configuration, because appsettings.json's Logging section overrides a level set in code.
/// </summary>
internal static class BoundedJobSettings
{
    public static IReadOnlyDictionary<string, string?> Quiet { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
    {
        ["TrackRec:Health:Port"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
    };
}
