namespace TrackRec.Streaming.Models.Store;

/// <summary>
/// A model version's files are missing or differ from the hashes its card recorded at publish. An
/// <see cref="IOException"/>, so a reloader that keeps its serving models on unreadable files keeps them here too.
/// </summary>
public sealed class ModelIntegrityException : IOException
{
    /// <summary>Creates the exception; the message names the model, version and file.</summary>
    public ModelIntegrityException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ModelIntegrityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Needed by the exception pattern; prefer the constructors that name the file.</summary>
    public ModelIntegrityException()
        : base("a model version's files do not match its card")
    {
    }
}
