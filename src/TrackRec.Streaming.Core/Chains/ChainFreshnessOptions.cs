using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.Chains;

/// <summary>When a user's cached chain must be rewritten.</summary>
public sealed class ChainFreshnessOptions
{
    /// <summary>The chain is stale once the user's history has absorbed this many events since it was written.</summary>
    [Range(1, 1_000_000)]
    public int MaxNewEvents { get; set; } = 20;

    /// <summary>The chain is stale once it is this old in event time.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a generator call may take before the feature is served degraded.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan GenerationTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
