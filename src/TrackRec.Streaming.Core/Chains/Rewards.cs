namespace TrackRec.Streaming.Chains;

/// <summary>TrackRec's reward of a chain on labelled pairs: p for a click, 1 - p for no click, averaged.</summary>
public static class Rewards
{
    /// <summary>The reward of one validator score on one label.</summary>
    public static double Of(double p, bool clicked) => clicked ? p : 1 - p;

    /// <summary>The mean reward over pairs; scores and labels in the same order.</summary>
    public static double Mean(IReadOnlyList<double> scores, IReadOnlyList<bool> clicked)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(clicked);
        if (scores.Count != clicked.Count || scores.Count == 0)
            throw new ArgumentException($"{scores.Count} scores for {clicked.Count} labels");
        double sum = 0;
        for (var i = 0; i < scores.Count; i++)
            sum += Of(scores[i], clicked[i]);
        return sum / scores.Count;
    }
}
