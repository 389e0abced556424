using TrackRec.Streaming.Training.Bootstrap;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>
/// How a command says that its input is too small or too one-sided to train on: one sentence and its own
/// exit code, so a script can tell "feed me more data" (3) from a bad setting (2) or a crash (1).
/// </summary>
internal static class InsufficientInput
{
    /// <summary>Exit code of a command whose input cannot be trained on.</summary>
    public const int ExitCode = 3;

    /// <summary>The sentence shown: what could not be trained, on which input, and what to do instead.</summary>
    public static string Sentence(string inputName, InsufficientTrainingDataException problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return $"cannot train the models on {inputName}: {problem.Message}. Train on more data, or pass --models a directory of trained models.";
    }
}
