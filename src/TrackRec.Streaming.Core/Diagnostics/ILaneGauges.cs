namespace TrackRec.Streaming.Diagnostics;

/// <summary>The slow lane's state as the metrics read it on collection.</summary>
public interface ILaneGauges
{
    /// <summary>Users with a generation pending.</summary>
    int QueueDepth { get; }

    /// <summary>How long the oldest pending user has waited, in milliseconds.</summary>
    double QueueAgeMs { get; }

    /// <summary>Model requests (or, embedded, lane jobs) running now.</summary>
    int InFlight { get; }

    /// <summary>The budget <see cref="InFlight"/> is held to.</summary>
    int Budget { get; }

    /// <summary>True while the model endpoint's circuit breaker is open.</summary>
    bool CircuitOpen { get; }

    /// <summary>Generation requests refused because the queue was full.</summary>
    long Shed { get; }
}
