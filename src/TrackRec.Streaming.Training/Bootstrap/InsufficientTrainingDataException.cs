namespace TrackRec.Streaming.Training.Bootstrap;

/// <summary>
/// The input is too small or too one-sided to train a model on. Its message is one sentence naming what
/// is missing, meant for the person who chose the input, so commands print it instead of a stack trace.
/// </summary>
public sealed class InsufficientTrainingDataException : Exception
{
    /// <summary>Creates the exception with the sentence to show.</summary>
    public InsufficientTrainingDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the sentence to show and the trainer's own objection.</summary>
    public InsufficientTrainingDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Needed by the exception pattern; prefer the constructors that say what is missing.</summary>
    public InsufficientTrainingDataException()
        : base("the input is too small to train on")
    {
    }
}
