using static TorchSharp.torch;

namespace TrackRec.Streaming.Training.Mlp;

/// <summary>
/// The S-DPO loss (DPO with several rejected answers, Chen et al. 2024, "On Softmax Direct Preference
/// Optimization for Recommendation"): with h(y) = log pi(y|x) - log pi_ref(y|x),
/// L = -log sigmoid( -log sum_j exp( beta * (h(y_j) - h(y_w)) ) ).
/// With one rejected chain it is plain DPO, -log sigmoid(beta * (h(y_w) - h(y_l))). The policy learns to raise
/// the chosen chain relative to all rejected ones at once, measured against the frozen reference policy.
/// </summary>
public static class SDpoLoss
{
    /// <summary>
    /// The loss for chosen log-probabilities of shape S (a scalar for one example, [B] for a batch) and rejected
    /// ones of shape S + [m]; returns shape S (average it yourself for a batch). Computed with logsumexp and
    /// logsigmoid, so large margins neither overflow nor lose their gradient.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not match, or there are no rejected answers.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="beta"/> is not positive.</exception>
    public static Tensor Compute(Tensor chosenLogProb, Tensor chosenRefLogProb, Tensor rejectedLogProbs, Tensor rejectedRefLogProbs, double beta)
    {
        ArgumentNullException.ThrowIfNull(chosenLogProb);
        ArgumentNullException.ThrowIfNull(chosenRefLogProb);
        ArgumentNullException.ThrowIfNull(rejectedLogProbs);
        ArgumentNullException.ThrowIfNull(rejectedRefLogProbs);
        if (!double.IsFinite(beta) || beta <= 0)
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be positive");
        var chosenShape = chosenLogProb.shape;
        if (!chosenRefLogProb.shape.SequenceEqual(chosenShape))
            throw new ArgumentException($"chosen reference log-probs are [{string.Join(", ", chosenRefLogProb.shape)}], chosen [{string.Join(", ", chosenShape)}]", nameof(chosenRefLogProb));
        if (!rejectedRefLogProbs.shape.SequenceEqual(rejectedLogProbs.shape))
            throw new ArgumentException($"rejected reference log-probs are [{string.Join(", ", rejectedRefLogProbs.shape)}], rejected [{string.Join(", ", rejectedLogProbs.shape)}]", nameof(rejectedRefLogProbs));
        var rejectedShape = rejectedLogProbs.shape;
        if (rejectedShape.Length != chosenShape.Length + 1 || !rejectedShape[..^1].SequenceEqual(chosenShape))
            throw new ArgumentException($"rejected log-probs must be [{string.Join(", ", chosenShape.Append(-1))}] (m last), got [{string.Join(", ", rejectedShape)}]", nameof(rejectedLogProbs));
        if (rejectedShape[^1] < 1)
            throw new ArgumentException("S-DPO needs at least one rejected answer", nameof(rejectedLogProbs));

        using var scope = NewDisposeScope();
        var chosen = chosenLogProb - chosenRefLogProb;                       // h(y_w), shape S
        var rejected = rejectedLogProbs - rejectedRefLogProbs;               // h(y_j), shape S + [m]
        using var betaScalar = TorchScalars.Of(beta);
        var margins = (rejected - chosen.unsqueeze(-1)).mul(betaScalar);     // beta * (h(y_j) - h(y_w))
        return (-nn.functional.logsigmoid(-margins.logsumexp(-1))).MoveToOuterDisposeScope();
    }
}
