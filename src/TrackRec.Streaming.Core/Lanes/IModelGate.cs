namespace TrackRec.Streaming.Lanes;

/// <summary>
/// Whether the slow lane may start model work now. An LLM endpoint whose circuit breaker is open says no, so a
/// sick endpoint is not asked harder while it recovers; embedded models always say yes.
/// </summary>
public interface IModelGate
{
    /// <summary>True when new generations may start.</summary>
    bool IsOpen { get; }
}

/// <summary>A gate that is always open (embedded models).</summary>
public sealed class AlwaysOpenGate : IModelGate
{
    /// <summary>The shared instance.</summary>
    public static AlwaysOpenGate Instance { get; } = new();

    /// <inheritdoc />
    public bool IsOpen => true;
}
