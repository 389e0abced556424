using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Training.Dpo;
using TrackRec.Streaming.Training.Mlp;
using TrackRec.Streaming.UserState;
using TrackRec.Streaming.Training.Tests.Reproducibility;

namespace TrackRec.Streaming.Tests.Dpo;

/// <summary>
/// S-DPO on the embedded policy: preference records whose chosen chain is always the one with the most
/// aversion claims teach the policy to sample aversion claims more, measured against the reference.
/// </summary>
public sealed class PolicyDpoTrainerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Categories = ["jazz", "crime", "pop", "folk", "drama", "live", "rock", "news"];
    private static readonly ClaimPolicySettings Settings = new() { ClaimsPerChain = 2, Temperature = 1.0, MaxCandidates = 16 };

    private static CategoryPriors Priors() => new()
    {
        ClickRate = Categories.ToDictionary(c => c, c => 0.1 + (0.02 * c.Length), StringComparer.Ordinal),
        Popular = ["drama", "news"],
        OverallRate = 0.2,
    };

    private static ChainRequest Request(int user, Random random)
    {
        var history = new List<HistoryItemView>();
        for (var i = 0; i < 14; i++)
        {
            var category = Categories[random.Next(Categories.Length)];
            var signal = random.NextDouble() < 0.35 ? Signal.Click : Signal.Impression;
            history.Add(new HistoryItemView($"i{user}-{i}", $"Item {i}", [category], signal, T0.AddMinutes(i), null));
        }
        return new ChainRequest($"u{user}", history, [], history.Count, T0.AddHours(1));
    }

    // Chosen: the sample with the most aversion claims; the reward is the share of aversion claims.
    private static List<PreferenceRecord> Records(ClaimPolicyGenerator generator, int users, int seed)
    {
        var random = new Random(seed);
        var records = new List<PreferenceRecord>();
        for (var u = 0; u < users; u++)
        {
            var request = Request(u, random);
            var drafts = generator.SampleAsync(request, 4, CancellationToken.None).GetAwaiter().GetResult();
            var samples = drafts.Select((d, i) => new RewardedSample(i, d, d.Claims.Count == 0 ? 0 : d.Claims.Count(c => c.Kind == ClaimKind.Aversion) / (double)d.Claims.Count)).ToList();
            var ranked = samples.OrderByDescending(s => s.MeanReward).ThenBy(s => s.Index).ToList();
            if (ranked[0].MeanReward == ranked[^1].MeanReward)
                continue;
            records.Add(new PreferenceRecord($"g{u}", request.UserId, request, [], samples, ranked[0].Index,
                ranked.Skip(1).Select(s => s.Index).ToList(), ranked[0].MeanReward - ranked.Skip(1).Average(s => s.MeanReward), ["imp"], ModelVersions.None));
        }
        return records;
    }

    private static (ClaimPolicyGenerator Generator, MlpWeights Weights) Reference()
    {
        using var network = TorchMlp.Create([ClaimExtractor.FeatureCount, 8, 1], seed: 3);
        var weights = network.ToWeights();
        return (new ClaimPolicyGenerator(new Models.Embedded.Mlp(weights), Priors(), Settings, "generator-ref"), weights);
    }

    private static double AversionShare(ClaimPolicyGenerator generator, int seed)
    {
        var random = new Random(seed);
        var claims = Enumerable.Range(0, 150)
            .SelectMany(u => generator.SampleAsync(Request(1000 + u, random), 4, CancellationToken.None).GetAwaiter().GetResult())
            .SelectMany(d => d.Claims).ToList();
        return claims.Count(c => c.Kind == ClaimKind.Aversion) / (double)claims.Count;
    }

    [Theory]
    [InlineData(PreferenceLoss.SDpo)]
    [InlineData(PreferenceLoss.Dpo)]
    public void Preferences_move_the_policy_towards_the_chosen_claims(PreferenceLoss loss)
    {
        var (reference, weights) = Reference();
        var records = Records(reference, users: 300, seed: 5);
        Assert.True(records.Count > 100, $"only {records.Count} records with a preference");

        var result = PolicyDpoTrainer.Train(reference, weights, Priors(), records, new PolicyDpoOptions { Loss = loss, Epochs = 20, LearningRate = 1e-2 });

        // Before any step every h(y) is 0: S-DPO's loss is log(1 + m) with m = 3 rejected, DPO's log 2.
        Assert.Equal(loss == PreferenceLoss.SDpo ? Math.Log(4) : Math.Log(2), result.InitialLoss, 6);
        Assert.True(result.TrainLoss < result.InitialLoss, $"train loss {result.TrainLoss} did not fall below {result.InitialLoss}");
        Assert.True(result.ValidationAccuracy > 0.7, $"held-out preference accuracy {result.ValidationAccuracy}");
        Assert.Equal(0, result.Skipped);
        // The evidence a round reports: the update moved the policy (KL > 0) and widened the chosen side's margin.
        Assert.True(result.KlToReference > 0 && double.IsFinite(result.KlToReference), $"KL to the reference {result.KlToReference}");
        Assert.True(result.ImplicitRewardMargin > 0, $"implicit reward margin {result.ImplicitRewardMargin}");
        var trained = new ClaimPolicyGenerator(new Models.Embedded.Mlp(result.Weights), Priors(), Settings, "generator-dpo");
        var before = AversionShare(reference, 9);
        var after = AversionShare(trained, 9);
        Assert.True(after > before + 0.05, $"aversion claims {before:F3} before, {after:F3} after; loss {result.InitialLoss:F4} -> {result.TrainLoss:F4}, accuracy {result.ValidationAccuracy:F3}");
    }

    [Fact]
    public void Records_from_another_candidate_set_are_skipped_and_counted()
    {
        var (reference, weights) = Reference();
        var records = Records(reference, users: 60, seed: 6);
        var alien = records[0] with
        {
            Samples = records[0].Samples.Select(s => s with { Draft = s.Draft with { Claims = [new ChainClaim(ClaimKind.Affinity, "opera", "likes opera")] } }).ToList(),
        };

        var result = PolicyDpoTrainer.Train(reference, weights, Priors(), [alien, .. records.Skip(1)], new PolicyDpoOptions { Epochs = 1 });

        Assert.Equal(1, result.Skipped);
        Assert.Equal(records.Count, result.Records);
    }

    [Fact]
    public void Training_leaves_no_tensor_to_a_finalizer()
    {
        var (reference, weights) = Reference();
        var records = Records(reference, users: 60, seed: 5);
        var options = new PolicyDpoOptions { Epochs = 1 };
        PolicyDpoTrainer.Train(reference, weights, Priors(), records, options);

        Assert.Equal(0, TensorLifetime.LeftUndisposed(() => PolicyDpoTrainer.Train(reference, weights, Priors(), records, options)));
    }
}
