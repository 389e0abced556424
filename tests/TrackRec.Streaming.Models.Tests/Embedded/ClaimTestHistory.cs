using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Tests.Embedded;

/// <summary>Histories, requests and hand-set networks shared by the embedded claim-model tests.</summary>
internal static class ClaimTestHistory
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public const string Comment = "loved the solos";

    public static HistoryItemView View(string itemId, Signal signal, string[] categories, string? text = null, string? title = null, int minute = 0) =>
        new(itemId, title ?? itemId.ToUpperInvariant(), categories, signal, T0.AddMinutes(minute), text);

    /// <summary>
    /// Oldest first. jazz: shown 1, engaged 2 (a click and a comment, both early); crime: shown 3, never
    /// engaged; pop: shown once; folk: shown once, clicked in the newest third (indices 6..8).
    /// </summary>
    public static IReadOnlyList<HistoryItemView> Mixed() =>
    [
        View("j1", Signal.Impression, ["jazz"], minute: 0),
        View("j1", Signal.Click, ["jazz"], minute: 1),
        View("c1", Signal.Impression, ["crime"], minute: 2),
        View("c2", Signal.Impression, ["crime"], minute: 3),
        View("c3", Signal.Impression, ["crime"], minute: 4),
        View("j2", Signal.Comment, ["jazz"], Comment, minute: 5),
        View("p1", Signal.Impression, ["pop"], minute: 6),
        View("f1", Signal.Impression, ["folk"], minute: 7),
        View("f1", Signal.Click, ["folk"], minute: 8),
    ];

    /// <summary>"drama" is popular and absent from <see cref="Mixed"/>; "jazz" is popular and engaged.</summary>
    public static CategoryPriors Priors() => new()
    {
        ClickRate = new Dictionary<string, double> { ["jazz"] = 0.3, ["crime"] = 0.1, ["drama"] = 0.25, ["folk"] = 0.2, ["live"] = 0.15 },
        Popular = ["drama", "jazz"],
        OverallRate = 0.2,
    };

    public static ChainRequest Request(IReadOnlyList<HistoryItemView> history, string userId = "u1", long version = 12, IReadOnlyList<HeldOutOutcome>? heldOut = null) =>
        new(userId, history, heldOut ?? [], version, T0.AddHours(1));

    /// <summary>A one-layer network: output = bias + sum of weights[i] * x[i].</summary>
    public static Mlp Linear(int inputs, Dictionary<int, float> weights, float bias = 0)
    {
        var w = new float[inputs];
        foreach (var (i, v) in weights)
            w[i] = v;
        return new Mlp(new MlpWeights { Layers = [new MlpLayer(inputs, 1, w, [bias])] });
    }

    /// <summary>
    /// Claim scores: affinity and recent shifts up, popular priors down, more engagement up
    /// (feature 6 is log(1 + engagements)).
    /// </summary>
    public static Mlp Policy() => Linear(ClaimExtractor.FeatureCount, new() { [0] = 2, [1] = 1, [2] = 1, [5] = -2, [6] = 1 });

    public static ClaimPolicyGenerator Generator(ClaimPolicySettings? settings = null, Mlp? policy = null, string version = "policy-test-1") =>
        new(policy ?? Policy(), Priors(), settings ?? new ClaimPolicySettings(), version);
}
