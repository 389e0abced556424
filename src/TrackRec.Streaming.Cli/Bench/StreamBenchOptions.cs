using TrackRec.Streaming.Cli.Commands;

namespace TrackRec.Streaming.Cli.Bench;

/// <summary>What `trackrec bench stream` was asked to do.</summary>
internal sealed record StreamBenchOptions
{
    public required string OutDirectory { get; init; }
    public required InputSelection Input { get; init; }
    public string? ModelDirectory { get; init; }
    public int Partitions { get; init; } = 8;
    /// <summary>Open-loop impression rates (events/s) of the paced phase, each held for <see cref="Duration"/>.</summary>
    public IReadOnlyList<int> Rates { get; init; } = [1000, 5000, 20000];
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Paced traffic at the lowest rate before any rate is measured (JIT, caches, user state).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);
    public bool Llm { get; init; }
    public TimeSpan LlmServiceTime { get; init; } = TimeSpan.FromMilliseconds(50);
    /// <summary>Requests the stand-in LLM server serves at once; more wait in its queue.</summary>
    public int LlmCapacity { get; init; } = 32;
    /// <summary>Open-loop impression rate of the LLM phase.</summary>
    public int LlmRate { get; init; } = 100;
    /// <summary>Synthetic user counts of the memory phase; empty skips it.</summary>
    public IReadOnlyList<int> MemoryUsers { get; init; } = [100_000, 1_000_000];
    /// <summary>Settings laid over the worker's (--set key=value) in every worker phase.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>What is wrong with the options, or null.</summary>
    public string? Problem() => Input.Problem() ?? this switch
    {
        { Partitions: < 1 } => "--partitions must be at least 1",
        { Rates.Count: 0 } => "--rates needs at least one rate",
        _ when Rates.Any(r => r < 1) => "--rates must be positive events/s",
        { Duration.TotalMilliseconds: < 100 } => "--duration must be at least 100ms",
        { Warmup.TotalMilliseconds: < 0 } => "--warmup must not be negative",
        { LlmCapacity: < 1 } => "--llm-capacity must be at least 1",
        { LlmRate: < 1 } => "--llm-rate must be at least 1",
        { LlmServiceTime.TotalMilliseconds: < 0 } => "--llm-service-time must not be negative",
        _ when MemoryUsers.Any(u => u < 1) => "--memory-users must be positive",
        _ => null,
    };
}
