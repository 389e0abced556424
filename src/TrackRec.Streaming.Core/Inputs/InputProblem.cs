namespace TrackRec.Streaming.Inputs;

/// <summary>
/// An input record a source skipped, kept so that a bad line is reported where it is instead of
/// failing the whole run or vanishing silently.
/// </summary>
/// <param name="LineNumber">1-based line of the input where the skipped record starts.</param>
/// <param name="Message">Why it was skipped.</param>
public sealed record InputProblem(int LineNumber, string Message);
