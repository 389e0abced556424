namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// A consumed record could not be turned into a domain value. The dead-letter path catches this one type
/// and files the record under <see cref="ErrorClass"/>, so alerts and replays can filter on a stable name.
/// </summary>
public abstract class RecordDecodeException : Exception
{
    /// <summary>Creates the exception with a message and the failure that caused it, if any.</summary>
    protected RecordDecodeException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>Stable, machine-readable failure class (for example "wire-format"); written to dead letters.</summary>
    public abstract string ErrorClass { get; }
}
