using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.Hosting.Health;

/// <summary>Where the worker serves /health/live, /health/ready (and /metrics), and when the consume loop counts as stuck.</summary>
public sealed class HealthOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "TrackRec:Health";

    /// <summary>TCP port of the health (and Prometheus) endpoints on every interface; 0 serves none (tests, demo).</summary>
    [Range(0, 65535, ErrorMessage = Section + ":Port must be between 0 (off) and 65535")]
    public int Port { get; set; }

    /// <summary>
    /// Liveness fails when the consume loop has not turned for this long. Generous by default: one
    /// iteration may legitimately wait for a rebalance or a delivery flush (TrackRec:Kafka:DrainTimeout).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00", ErrorMessage = Section + ":LivenessThreshold must be between 1 second and 1 hour")]
    public TimeSpan LivenessThreshold { get; set; } = TimeSpan.FromMinutes(2);
}
