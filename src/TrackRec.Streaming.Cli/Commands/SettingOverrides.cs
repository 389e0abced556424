using System.CommandLine;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>
/// `--set key=value`: a configuration override on the command line, applied last (after appsettings.json
/// and environment variables). A value without '=' is an error naming it, not silently dropped.
/// </summary>
internal static class SettingOverrides
{
    public static Option<string[]> CreateOption() => new("--set")
    {
        Description = "Override a setting, e.g. --set TrackRec:Kafka:BootstrapServers=kafka:9092 (repeatable)",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>The overrides, or the problem with the first bad one.</summary>
    public static (IReadOnlyDictionary<string, string?> Settings, string? Problem) Parse(IEnumerable<string>? values)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in values ?? [])
        {
            var separator = value.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
                return (settings, $"--set {value}: expected key=value, e.g. --set TrackRec:Models:Llm:MaxRetries=0");
            settings[value[..separator].Trim()] = value[(separator + 1)..];
        }
        return (settings, null);
    }
}
