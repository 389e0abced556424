using TrackRec.Streaming.Cli.Commands;

namespace TrackRec.Streaming.Cli.Dev;

/// <summary>What `trackrec dev` starts, as parsed from its command line.</summary>
internal sealed record DevOptions
{
    /// <summary>Kafka bootstrap port; 0 uses the port the mock broker got (printed).</summary>
    public int Port { get; init; }

    /// <summary>Schema registry port; 0 picks a free one (printed).</summary>
    public int RegistryPort { get; init; }

    /// <summary>Partitions of every topic.</summary>
    public int Partitions { get; init; } = 4;

    /// <summary>Where the events of the feed (and of model training) come from.</summary>
    public InputSelection Input { get; init; } = new(null, null);

    /// <summary>Produce a feed at all: the simulator when no file or directory is given.</summary>
    public bool Feed { get; init; }

    /// <summary>Behaviour events per second of the feed; 0 = as fast as possible.</summary>
    public double Rate { get; init; } = 50;

    /// <summary>Model directory; trained on the input's first 30% when it has no models.</summary>
    public required string ModelDirectory { get; init; }

    /// <summary>Where the worker writes its training batches.</summary>
    public required string BatchDirectory { get; init; }

    /// <summary>--set overrides, applied last.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>What is wrong with the options, or null.</summary>
    public string? Problem() => Input.Problem() ?? this switch
    {
        { Port: < 0 or > 65535 } => "--port must be between 0 and 65535 (0: the port the broker gets, printed)",
        { RegistryPort: < 0 or > 65535 } => "--registry-port must be between 0 and 65535 (0: a free port, printed)",
        { Port: > 0 } when Port == RegistryPort => "--port and --registry-port must differ",
        { Partitions: < 1 } => "--partitions must be at least 1",
        { Rate: < 0 } => "--rate must not be negative (0: as fast as possible)",
        _ => null,
    };
}
