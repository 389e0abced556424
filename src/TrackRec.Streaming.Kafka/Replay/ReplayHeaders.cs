namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>Headers every record a replay writes carries, so a consumer can tell replayed output from live output.</summary>
public static class ReplayHeaders
{
    /// <summary>The replay's job id (UTF-8).</summary>
    public const string Job = "trackrec-replay-job";

    /// <summary>The replayed source ranges, "topic:partition:start-end;..." with end exclusive, sorted (UTF-8).</summary>
    public const string Range = "trackrec-replay-range";
}
