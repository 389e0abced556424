namespace TrackRec.Streaming.Kafka.Replay;

/// <summary>
/// A replay cannot be planned as asked (an option is malformed, names an unknown topic or partition,
/// or would touch the live consumer group). The message names the option, for the operator.
/// </summary>
public sealed class ReplayPlanException : Exception
{
    /// <summary>Creates the exception with a message that names the offending option.</summary>
    public ReplayPlanException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ReplayPlanException()
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ReplayPlanException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
