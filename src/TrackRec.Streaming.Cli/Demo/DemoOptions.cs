using TrackRec.Streaming.Cli.Commands;

namespace TrackRec.Streaming.Cli.Demo;

/// <summary>What `trackrec demo` was asked to do.</summary>
internal sealed record DemoOptions
{
    public required string OutDirectory { get; init; }
    public InputSelection Input { get; init; } = new(null, null);
    public string? ModelDirectory { get; init; }
    public double WarmupShare { get; init; } = 0.3;
    public string Generator { get; init; } = "embedded";
    public string? LlmEndpoint { get; init; }
    public string? LlmModel { get; init; }
    public double MalformedShare { get; init; } = 0.005;
    public int Partitions { get; init; } = 4;

    /// <summary>Settings applied over the demo's own (--set key=value), e.g. the LLM endpoint's timeouts.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();
}
