namespace TrackRec.Streaming.Chains;

/// <summary>
/// A model answered, but not in the form its role needs (no Yes/No token, an empty chain, a verdict that
/// cannot be parsed). Counted separately from outages: it says the prompt or the model needs attention.
/// </summary>
public sealed class MalformedAnswerException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MalformedAnswerException() { }

    /// <summary>Creates the exception with a message.</summary>
    public MalformedAnswerException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public MalformedAnswerException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a role.</summary>
    public MalformedAnswerException(string role, string message) : base($"{role}: {message}") => Role = role;

    /// <summary>The role whose answer was malformed (generator, reflection, validator, encoder).</summary>
    public string? Role { get; }
}
