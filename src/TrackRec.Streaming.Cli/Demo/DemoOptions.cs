namespace TrackRec.Streaming.Cli.Demo;

/// <summary>What `trackrec demo` streams and where it writes its summary.</summary>
internal sealed record DemoOptions
{
    public required string OutDirectory { get; init; }
    public string? EventsFile { get; init; }
    public string? MovieLensDirectory { get; init; }
    public int Seed { get; init; } = 42;
    public int Users { get; init; } = 200;
    public int ImpressionsPerUser { get; init; } = 40;
    public double MalformedShare { get; init; } = 0.005;
    public int Partitions { get; init; } = 4;
    public int? MaxUsers { get; init; }
}
