namespace TrackRec.Streaming.Hosting.Health;

/// <summary>The tags that put a health check behind /health/live or /health/ready.</summary>
public static class HealthTags
{
    /// <summary>Checks that say the process should be restarted when they fail.</summary>
    public const string Live = "live";

    /// <summary>Checks that say the worker should not be counted as serving yet.</summary>
    public const string Ready = "ready";
}
