using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.Lanes;

/// <summary>
/// The two speeds of the worker (TrackRec:Pipeline:Lanes): what features may wait for, and how much model work
/// runs at once off the partitions' path. Unset values are resolved from the model backend at start-up.
/// </summary>
public sealed class LaneOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "TrackRec:Pipeline:Lanes";

    /// <summary>Live (default) or Deterministic (replays, restart-equivalence).</summary>
    public LaneMode Mode { get; set; } = LaneMode.Live;

    /// <summary>
    /// In live mode, how long an impression's feature may wait for the generation it triggered, spent only when the
    /// slow lane would start that generation at once (never behind a queue). Unset: 50 ms with an embedded generator
    /// (a chain in a few milliseconds, MiniLM's encoding included, so features stay fresh while the lane keeps up),
    /// 0 with an LLM generator (a feature never waits on a call).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = Section + ":FreshWait must be between 0 and 1 minute")]
    public TimeSpan? FreshWait { get; set; }

    /// <summary>Generations run at once across all partitions. Unset: the LLM budget (Llm:MaxConcurrency) with an LLM generator, else the processor count.</summary>
    [Range(1, 4096, ErrorMessage = Section + ":GenerationConcurrency must be between 1 and 4096")]
    public int? GenerationConcurrency { get; set; }

    /// <summary>Feedback scoring jobs (one outcome, n chains) run at once across all partitions. Unset: as <see cref="GenerationConcurrency"/>.</summary>
    [Range(1, 4096, ErrorMessage = Section + ":FeedbackConcurrency must be between 1 and 4096")]
    public int? FeedbackConcurrency { get; set; }

    /// <summary>Users with a generation pending at most; a request past it is shed (the user keeps the chain it has and asks again at its next impression).</summary>
    [Range(1, 10_000_000, ErrorMessage = Section + ":QueueCapacity must be between 1 and 10000000")]
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>After a degraded generation, the user is not asked again for this long, doubling per further failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = Section + ":RetryBackoff must be between 0 and 1 hour")]
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The cap of the per-user backoff.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = Section + ":MaxRetryBackoff must be between 0 and 1 day")]
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a lane held back by an open circuit looks again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = Section + ":GatePollInterval must be between 1 ms and 1 minute")]
    public TimeSpan GatePollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
}
