namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>What the operator asked a replay to do, before any offset is resolved.</summary>
public sealed record ReplayRequest
{
    /// <summary>The job id: names the replay's consumer group and stamps every output record.</summary>
    public required string JobId { get; init; }

    /// <summary>The input to replay.</summary>
    public required ReplaySelection Selection { get; init; }

    /// <summary>How much of the stream before the range is read to rebuild user state (no outputs).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How far past the end of a time range clicks and comments are still read, so an impression near the
    /// end is labelled by the engagement that followed it (the attribution window plus grace), not cut off.
    /// </summary>
    public TimeSpan EngagementTail { get; init; }

    /// <summary>Appended to the output topic names unless <see cref="ToLive"/>.</summary>
    public string TargetSuffix { get; init; } = ".replay";

    /// <summary>Write to the live output topics (features, chains, outcomes, dead letters) instead of the sandbox ones.</summary>
    public bool ToLive { get; init; }
}
