namespace TrackRec.Streaming.Training.Dpo;

/// <summary>What one alternating round did: the preference data it sampled, the G update and the V retraining.</summary>
/// <param name="MeanRewardMargin">Mean of chosen minus mean rejected reward over the round's preference records.</param>
public sealed record AlternatingRoundReport(
    string ReferenceGenerator,
    string Generator,
    string Validator,
    int PreferenceRecords,
    double MeanRewardMargin,
    PolicyDpoResult Dpo,
    IReadOnlyDictionary<string, double> ValidatorMetrics,
    TimeSpan Elapsed)
{
    /// <summary>The round's numbers, flat, for model cards and eval.json.</summary>
    public IReadOnlyDictionary<string, double> Metrics => new Dictionary<string, double>
    {
        ["preference_records"] = PreferenceRecords,
        ["mean_reward_margin"] = MeanRewardMargin,
        ["dpo_records_skipped"] = Dpo.Skipped,
        ["dpo_initial_loss"] = Dpo.InitialLoss,
        ["dpo_train_loss"] = Dpo.TrainLoss,
        ["dpo_validation_loss"] = Dpo.ValidationLoss,
        ["dpo_validation_accuracy"] = Dpo.ValidationAccuracy,
        ["dpo_kl_to_reference"] = Dpo.KlToReference,
        ["dpo_implicit_reward_margin"] = Dpo.ImplicitRewardMargin,
        ["validator_validation_auc"] = ValidatorMetrics.GetValueOrDefault("validation_auc", double.NaN),
        ["round_seconds"] = Elapsed.TotalSeconds,
    };
}
