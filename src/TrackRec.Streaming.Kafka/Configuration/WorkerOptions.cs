namespace TrackRec.Streaming.Kafka.Configuration;

/// <summary>How a worker run behaves as a whole.</summary>
public sealed class WorkerOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string Section = "TrackRec:Worker";

    /// <summary>
    /// Bounded run: stop once every assigned input partition is consumed to its end, labelling every
    /// open impression first (the watermark moves to the end of the stream). For demos and batch jobs;
    /// a live worker leaves this off.
    /// </summary>
    public bool StopAtEnd { get; set; }

    /// <summary>
    /// How far back a worker re-reads its partitions when it takes them over (start, restart, rebalance), to
    /// rebuild the user state, chains and open training batches it does not keep on disk. Records before the
    /// committed offsets only rebuild state (their outputs were made durable before the commit); from the
    /// committed offsets on, the worker emits as usual. With a warm-up that reaches back to where the
    /// partitions began, a restarted worker makes the same chains and cuts the same training batches (same ids)
    /// as one that never stopped. Zero (default) starts at the committed offsets with empty state; a span is
    /// resolved with the broker's offsets-for-times from the current time; <see cref="RebuildFromBeginning"/>
    /// (or any span of 100 years or more) re-reads from the start of retention.
    /// </summary>
    public TimeSpan StateWarmup { get; set; }

    /// <summary>A <see cref="StateWarmup"/> that re-reads the partitions from the start of retention.</summary>
    public static readonly TimeSpan RebuildFromBeginning = TimeSpan.FromDays(36_500);

    /// <summary>A name for this worker in dead letters and logs; defaults to the machine name.</summary>
    public string? WorkerId { get; set; }
}
