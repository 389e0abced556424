using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Feedback;
using TrackRec.Streaming.UserState;

namespace TrackRec.Streaming.Tests.Feedback;

/// <summary>Small preference and validator records for the batch tests.</summary>
internal static class FeedbackRecords
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly ModelVersions Versions = new("generator-v1", "reflector-v1", "validator-v1", "encoder-v1", "explorer-v1");

    public static PreferenceRecord Preference(string generationId) => new(
        generationId,
        "u1",
        new ChainRequest("u1", [new HistoryItemView("jazz1", "Jazz One", ["jazz"], Signal.Click, T0, "loved it")], [], 3, T0),
        [new PromptMessage("system", "summarise"), new PromptMessage("user", "history: Jazz One")],
        [
            new RewardedSample(0, new ChainDraft("likes jazz", [new ChainClaim(ClaimKind.Affinity, "jazz", "likes jazz")], -1.2), 0.8),
            new RewardedSample(1, new ChainDraft("likes crime", [new ChainClaim(ClaimKind.Affinity, "crime", "likes crime")], -2.3), 0.3),
            new RewardedSample(2, new ChainDraft("likes opera", [], -3.1), 0.1),
        ],
        0,
        [1, 2],
        0.6,
        ["imp1", "imp2", "imp3"],
        Versions);

    public static ValidatorRecord Validator(string impressionId, bool clicked = true) => new(
        impressionId, "g1", "u1", 0, new ChainDraft("likes jazz", [], -1.2), new CandidateItem("jazz2", "Jazz Two", ["jazz"]),
        [new PromptMessage("user", "Will the user click on Jazz Two?")], clicked, 0.7, T0, Versions);

    public static InputPosition At(long offset, string topic = "impressions", int partition = 0) => new(topic, partition, offset);
}
