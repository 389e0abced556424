using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Training.Dpo;

/// <summary>Publishes a DPO-updated policy as the next generator version, its card naming the reference it moved from.</summary>
public static class PolicyPublisher
{
    /// <summary>Publishes <paramref name="dpo"/>'s weights with the reference's settings and priors (the candidates must stay the same).</summary>
    public static ModelCard Publish(
        ModelStore store, PolicyDpoResult dpo, PolicyDpoOptions options, string referenceVersion, ClaimPolicySettings settings, CategoryPriors priors,
        TrainingDataRange range, IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dpo);
        ArgumentNullException.ThrowIfNull(options);
        var cardSettings = new Dictionary<string, string> { ["loss"] = options.Loss.ToString() };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
            cardSettings[key] = value;
        return store.Publish(
            new ModelCard
            {
                Name = EmbeddedModelFiles.Generator,
                Version = store.NextVersion(EmbeddedModelFiles.Generator),
                CreatedAt = DateTimeOffset.UtcNow,
                TrainingData = range,
                ParentVersion = referenceVersion,
                Metrics = new Dictionary<string, double>
                {
                    ["preference_records"] = dpo.Records,
                    ["skipped_records"] = dpo.Skipped,
                    ["initial_loss"] = dpo.InitialLoss,
                    ["train_loss"] = dpo.TrainLoss,
                    ["validation_loss"] = dpo.ValidationLoss,
                    ["validation_accuracy"] = dpo.ValidationAccuracy,
                    ["beta"] = options.Beta,
                },
                Settings = cardSettings,
            },
            dir =>
            {
                ModelStore.WriteJson(dir, EmbeddedModelFiles.Policy, dpo.Weights);
                ModelStore.WriteJson(dir, EmbeddedModelFiles.PolicySettings, settings);
                ModelStore.WriteJson(dir, EmbeddedModelFiles.Priors, priors);
            });
    }
}
