namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// A call to the model endpoint failed for good (retries spent, or the circuit open): the role failed, and the
/// chain writer serves the feature degraded. Distinct from <see cref="Chains.MalformedAnswerException"/>, where
/// the server did answer but not usably.
/// </summary>
public sealed class ModelEndpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelEndpointException() { }

    /// <summary>Creates the exception with a message.</summary>
    public ModelEndpointException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ModelEndpointException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a role's failed call.</summary>
    public ModelEndpointException(string role, EndpointFailure failure, string message, int? statusCode = null, Exception? innerException = null)
        : base($"{role}: {message}", innerException)
    {
        Role = role;
        Failure = failure;
        StatusCode = statusCode;
    }

    /// <summary>The role whose call failed (generator, reflection, validator, encoder).</summary>
    public string? Role { get; }

    /// <summary>How the call failed.</summary>
    public EndpointFailure Failure { get; }

    /// <summary>The last HTTP status the server answered with, when it answered.</summary>
    public int? StatusCode { get; }
}
