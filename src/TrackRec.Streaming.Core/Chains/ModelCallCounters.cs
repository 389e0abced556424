using TrackRec.Streaming.Diagnostics;

namespace TrackRec.Streaming.Chains;

/// <summary>
/// Calls made to remote model endpoints and how they ended, shared by every backend of a process so the
/// demo summary and the metrics can say how much the LLM path was used and how often it misbehaved.
/// The same calls move trackrec.model.requests and trackrec.model.errors when metrics are given.
/// </summary>
public sealed class ModelCallCounters(StreamMetrics? metrics = null)
{
    private long _calls, _failures, _malformed;

    /// <summary>Requests sent to a remote model (each retry counts).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Requests that failed (timeout, connection error, 5xx, open circuit).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Answers that arrived but could not be used.</summary>
    public long MalformedAnswers => Interlocked.Read(ref _malformed);

    /// <summary>Counts one request sent.</summary>
    public void CountCall()
    {
        Interlocked.Increment(ref _calls);
        metrics?.ModelRequest();
    }

    /// <summary>Counts one failed request.</summary>
    public void CountFailure()
    {
        Interlocked.Increment(ref _failures);
        metrics?.ModelError("failure");
    }

    /// <summary>Counts one unusable answer.</summary>
    public void CountMalformed()
    {
        Interlocked.Increment(ref _malformed);
        metrics?.ModelError("malformed");
    }
}
