namespace TrackRec.Streaming.Cli.Replay;

/// <summary>What `trackrec replay` was asked to do, as given on the command line (checked by <see cref="ReplayRunner"/>).</summary>
internal sealed record ReplayJobOptions
{
    public required string JobId { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Offsets { get; init; }
    public string Warmup { get; init; } = "24h";
    public string? ModelDirectory { get; init; }
    public IReadOnlyList<string> ModelVersions { get; init; } = [];
    /// <summary>The sandbox suffix when none is given (`dev` creates these topics up front).</summary>
    public const string DefaultTargetSuffix = ".replay";
    public string TargetSuffix { get; init; } = DefaultTargetSuffix;
    public bool ToLive { get; init; }
    public bool DryRun { get; init; }
    /// <summary>broker (ListOffsets by timestamp) or scan (reads timestamps; for the embedded mock cluster, which has no time index).</summary>
    public string TimeIndex { get; init; } = "broker";
    /// <summary>Configuration overrides, KEY=VALUE (as `run --set`).</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];
}
