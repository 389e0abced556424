using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;

namespace TrackRec.Streaming.Tests;

/// <summary>
/// The embedded roles with small hand-set weights instead of trained ones (the Hosting tests do not load
/// libtorch): the real policy, critic, validator and explorer code runs, on numbers a reader can check.
/// </summary>
internal static class TestRoles
{
    public static ChainRoles Embedded()
    {
        var priors = new CategoryPriors { OverallRate = 0.2, Popular = ["drama"] };
        // Claim score: affinity and recent shifts first, aversions next, popular priors last; more evidence, higher.
        var policy = Linear(ClaimExtractor.FeatureCount, new() { [0] = 2, [1] = 1, [2] = 1, [5] = -2, [6] = 1 });
        // Click logit: up when the chain likes the item's category, down when it says the user avoids it.
        var validator = Linear(ValidatorFeatures.Count, new() { [0] = 2, [1] = -2, [2] = 1 }, bias: -1);
        return new ChainRoles(
            new ClaimPolicyGenerator(new Mlp(policy), priors, new ClaimPolicySettings(), "test-policy-1"),
            new EmbeddedValidator(new Mlp(validator), priors, "test-validator-1"),
            new ClaimCritic(),
            new NoveltyExplorer(new ExplorerModel(), "test-explorer-1"));
    }

    private static MlpWeights Linear(int inputs, Dictionary<int, float> weights, float bias = 0)
    {
        var w = new float[inputs];
        foreach (var (i, v) in weights)
            w[i] = v;
        return new MlpWeights { Layers = [new MlpLayer(inputs, 1, w, [bias])] };
    }
}
