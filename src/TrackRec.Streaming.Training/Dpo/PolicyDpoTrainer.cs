using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Training.Mlp;
using static TorchSharp.torch;
using TrackRec.Streaming.Training.Reproducibility;
using TrackRec.Streaming.Training.Optimisation;

namespace TrackRec.Streaming.Training.Dpo;

/// <summary>
/// The generator update of TrackRec's loop on the embedded policy: S-DPO (or plain DPO) on preference records,
/// with the policy that sampled them as the frozen reference. For each record the history's claim candidates
/// are extracted again (the same extractor and priors the reference served with), every chain's claims are
/// located among them, and log pi(chain) is the Plackett-Luce log-probability of that ordering under the
/// policy network: exact, and differentiable back to the network's weights.
/// </summary>
public static class PolicyDpoTrainer
{
    /// <summary>
    /// Trains a copy of <paramref name="reference"/>'s policy. Records whose chains cannot be located among
    /// the candidates (made by a generator with other priors, or free text) are skipped and counted.
    /// </summary>
    public static PolicyDpoResult Train(ClaimPolicyGenerator reference, MlpWeights referenceWeights, CategoryPriors priors, IReadOnlyList<PreferenceRecord> records, PolicyDpoOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(referenceWeights);
        ArgumentNullException.ThrowIfNull(priors);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var settings = reference.Settings;
        var extractor = new ClaimExtractor(priors, settings.MaxCandidates);
        var examples = new List<Example>();
        foreach (var record in records)
        {
            if (Locate(record, extractor, options.Loss) is { } example)
                examples.Add(example);
        }
        if (examples.Count == 0)
            throw new ArgumentException($"none of the {records.Count} preference records could be located among the policy's claim candidates", nameof(records));

        var validationCount = (int)Math.Floor(examples.Count * options.ValidationFraction);
        var train = examples[..(examples.Count - validationCount)];
        var validation = examples[(examples.Count - validationCount)..];
        using var policy = TorchMlp.FromWeights(referenceWeights);
        using (var frozen = TorchMlp.FromWeights(referenceWeights))
        using (no_grad())
        {
            foreach (var e in examples)
            {
                using var scope = NewDisposeScope();
                e.ReferenceLogProbs = LogProbs(frozen, e, settings.Temperature).data<double>().ToArray();
                e.ReferenceFirstPick = FirstPick(frozen, e, settings.Temperature).data<double>().ToArray();
            }
        }

        var initial = MeanLoss(policy, examples, settings.Temperature, options.Beta);
        using var optimizer = new AdamOptimizer(policy.parameters(), options.LearningRate);
        var random = new Random(options.Seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray();
                var loss = stack(batch.Select(i => Loss(policy, train[i], settings.Temperature, options.Beta)).ToArray()).mean();
                if (!double.IsFinite(loss.item<double>()))
                    throw new InvalidOperationException("DPO diverged (non-finite loss); lower the learning rate");
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }

        var held = validation.Count > 0 ? validation : train;
        return new PolicyDpoResult(
            policy.ToWeights(),
            records.Count,
            records.Count - examples.Count,
            train.Count,
            initial,
            MeanLoss(policy, train, settings.Temperature, options.Beta),
            MeanLoss(policy, held, settings.Temperature, options.Beta),
            Accuracy(policy, held, settings.Temperature),
            examples.Average(e => e.RewardMargin))
        {
            KlToReference = FirstPickKl(policy, held, settings.Temperature),
            ImplicitRewardMargin = ImplicitMargin(policy, held, settings.Temperature, options.Beta),
        };
    }

    // The mean of a per-example figure, computed without gradients; NaN when there are no examples.
    private static double MeanWithoutGradients(IReadOnlyList<Example> examples, Func<Example, double> figure)
    {
        if (examples.Count == 0)
            return double.NaN;
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        return examples.Average(figure);
    }

    // Mean KL(policy || reference) of the first claim's distribution (softmax of the scores over the
    // candidates at the sampling temperature): how far the update moved the policy where it samples.
    private static double FirstPickKl(TorchMlp policy, IReadOnlyList<Example> examples, double temperature)
    {
        return MeanWithoutGradients(examples, e =>
        {
            var p = FirstPick(policy, e, temperature);
            var q = OwnedTensor.Of(e.ReferenceFirstPick!, e.ReferenceFirstPick!.Length);
            return (p.exp() * (p - q)).sum().item<double>();
        });
    }

    // Mean beta * (h(chosen) - mean h(rejected)), h = log pi - log pi_ref: the margin the loss pushes up.
    private static double ImplicitMargin(TorchMlp policy, IReadOnlyList<Example> examples, double temperature, double beta)
    {
        return MeanWithoutGradients(examples, e =>
        {
            var h = Implicit(policy, e, temperature);
            return beta * (h[0] - h[1..].Average());
        });
    }

    // A record as the trainer needs it: the candidates' features and each chain as indices into them,
    // chosen first, then the rejected ones (all of them for S-DPO, the worst for DPO).
    private static Example? Locate(PreferenceRecord record, ClaimExtractor extractor, PreferenceLoss loss)
    {
        var candidates = extractor.Extract(CategoryEvidence.From(record.Request.History));
        var rejected = loss == PreferenceLoss.SDpo ? record.RejectedIndexes : [record.RejectedIndexes[^1]];
        var orderings = new List<IReadOnlyList<int>>();
        foreach (var index in rejected.Prepend(record.ChosenIndex))
        {
            var claims = record.Samples[index].Draft.Claims;
            var ordering = new int[claims.Count];
            for (var j = 0; j < claims.Count; j++)
            {
                ordering[j] = IndexOf(candidates, claims[j]);
                if (ordering[j] < 0)
                    return null;
            }
            orderings.Add(ordering);
        }
        if (candidates.Count == 0 || orderings.Skip(1).All(o => o.SequenceEqual(orderings[0])))
            return null; // nothing to tell apart
        var features = new float[candidates.Count * ClaimExtractor.FeatureCount];
        for (var i = 0; i < candidates.Count; i++)
            candidates[i].Features.CopyTo(features, i * ClaimExtractor.FeatureCount);
        var rejectedRewards = rejected.Select(i => record.Samples[i].MeanReward).ToList();
        return new Example(features, candidates.Count, orderings, record.Samples[record.ChosenIndex].MeanReward - rejectedRewards.Average());
    }

    private static int IndexOf(IReadOnlyList<ClaimCandidate> candidates, ChainClaim claim)
    {
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Claim.Kind == claim.Kind && candidates[i].Claim.Subject == claim.Subject)
                return i;
        }
        return -1;
    }

    // [m] log-probabilities of the chosen chain, then each rejected one: one network pass for all of them.
    private static Tensor LogProbs(TorchMlp network, Example e, double temperature)
    {
        var x = OwnedTensor.Of(e.Features, e.Candidates, ClaimExtractor.FeatureCount);
        var scores = network.forward(x).squeeze(-1).to_type(ScalarType.Float64);
        return PlackettLuceTorch.LogProbabilities(scores, e.Orderings, temperature);
    }

    private static Tensor Loss(TorchMlp policy, Example e, double temperature, double beta)
    {
        var logProbs = LogProbs(policy, e, temperature);
        var reference = OwnedTensor.Of(e.ReferenceLogProbs!, e.ReferenceLogProbs!.Length);
        return SDpoLoss.Compute(logProbs[0], reference[0], logProbs[1..], reference[1..], beta);
    }

    private static double MeanLoss(TorchMlp policy, IReadOnlyList<Example> examples, double temperature, double beta)
    {
        return MeanWithoutGradients(examples, e => Loss(policy, e, temperature, beta).item<double>());
    }

    private static double Accuracy(TorchMlp policy, IReadOnlyList<Example> examples, double temperature)
    {
        return MeanWithoutGradients(examples, e =>
        {
            var h = Implicit(policy, e, temperature);
            return h[0] > h[1..].Max() ? 1.0 : 0.0;
        });
    }

    // h(y) = log pi(y) - log pi_ref(y) for the chosen chain, then each rejected one.
    private static double[] Implicit(TorchMlp policy, Example e, double temperature) =>
        LogProbs(policy, e, temperature).data<double>().Select((p, i) => p - e.ReferenceLogProbs![i]).ToArray();

    // Log-probabilities of the first claim over the candidates: a softmax of the scores at the sampling temperature.
    private static Tensor FirstPick(TorchMlp network, Example e, double temperature)
    {
        var x = OwnedTensor.Of(e.Features, e.Candidates, ClaimExtractor.FeatureCount);
        using var temperatureScalar = TorchScalars.Of(temperature);
        return nn.functional.log_softmax(network.forward(x).squeeze(-1).to_type(ScalarType.Float64).div(temperatureScalar), 0);
    }

    private sealed record Example(float[] Features, int Candidates, IReadOnlyList<IReadOnlyList<int>> Orderings, double RewardMargin)
    {
        public double[]? ReferenceLogProbs { get; set; }

        public double[]? ReferenceFirstPick { get; set; }
    }
}
