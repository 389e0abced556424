namespace TrackRec.Streaming.Chains;

/// <summary>
/// The reflection model's judgement of a chain against the user's history (R4ec): a verdict and a critique
/// naming the claims that the history does not support or contradicts, so refinement can replace them.
/// </summary>
/// <param name="FailedClaims">Texts or subjects of the claims judged unsupported or contradicted.</param>
public sealed record Reflection(bool Accepted, string Critique, IReadOnlyList<string> FailedClaims)
{
    /// <summary>A verdict with nothing to fix.</summary>
    public static Reflection Accept(string critique = "consistent with the history") => new(true, critique, []);
}
