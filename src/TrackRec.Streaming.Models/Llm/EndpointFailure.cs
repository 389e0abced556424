namespace TrackRec.Streaming.Models.Llm;

/// <summary>How a call to the model endpoint failed, so callers and tests can tell an outage from a refusal.</summary>
public enum EndpointFailure
{
    /// <summary>The server answered with an error status (after retries when it was transient).</summary>
    Status,
    /// <summary>No complete answer within the per-attempt timeout.</summary>
    Timeout,
    /// <summary>The connection failed (refused, reset, DNS).</summary>
    Connection,
    /// <summary>The circuit breaker is open: the call failed fast without reaching the server.</summary>
    CircuitOpen,
}
