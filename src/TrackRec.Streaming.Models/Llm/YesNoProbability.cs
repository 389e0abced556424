namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// TrackRec's validator score from the first answer token: p = P(Yes) / (P(Yes) + P(No)). Tokens match
/// case- and whitespace-insensitively (and without the byte-level or SentencePiece space markers some
/// servers leave on), and the variants of one answer (" Yes", "yes") add up. When only one answer is listed,
/// the other cannot be likelier than the least likely listed token, so that bound stands in for it.
/// </summary>
internal static class YesNoProbability
{
    /// <summary>The score, or null when neither Yes nor No is among the alternatives.</summary>
    public static double? Score(IReadOnlyList<TokenLogprob> alternatives)
    {
        ArgumentNullException.ThrowIfNull(alternatives);
        double yes = 0, no = 0;
        bool sawYes = false, sawNo = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var smallest = double.PositiveInfinity;
        foreach (var alternative in alternatives)
        {
            // The first token's own entry repeats among its top alternatives: count each token once.
            if (!seen.Add(alternative.Token))
                continue;
            smallest = Math.Min(smallest, alternative.Logprob);
            var word = Normalise(alternative.Token);
            if (word.Equals("yes", StringComparison.OrdinalIgnoreCase))
            {
                yes += Math.Exp(alternative.Logprob);
                sawYes = true;
            }
            else if (word.Equals("no", StringComparison.OrdinalIgnoreCase))
            {
                no += Math.Exp(alternative.Logprob);
                sawNo = true;
            }
        }
        if (!sawYes && !sawNo)
            return null;
        if (!sawYes)
            yes = Math.Exp(smallest);
        if (!sawNo)
            no = Math.Exp(smallest);
        var total = yes + no;
        return total > 0 && double.IsFinite(total) ? Math.Clamp(yes / total, 0, 1) : null;
    }

    private static string Normalise(string token) => token.Trim().TrimStart('Ġ', '▁').Trim();
}
