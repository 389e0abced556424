using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Features;

/// <summary>
/// The per-impression feature record the CTR ranking model joins on <see cref="ImpressionId"/>
/// (also the record's Kafka key, so a replayed or retried feature is a harmless duplicate).
/// </summary>
public sealed record ChainFeature(
    string ImpressionId,
    string UserId,
    string ItemId,
    DateTimeOffset ImpressionTime,
    string? ChainId,
    string ChainText,
    ChainSource Source,
    string GeneratorVersion,
    IReadOnlyList<float> Embedding,
    double? ValidatorScore,
    IReadOnlyList<string> ExplorationCandidates,
    double GenerationLatencyMs)
{
    /// <summary>Embedding of the prompt the chain was written from.</summary>
    public IReadOnlyList<float> PromptEmbedding { get; init; } = [];

    /// <summary>Versions of every model behind the feature (the generator's is also <see cref="GeneratorVersion"/>).</summary>
    public ModelVersions Versions { get; init; } = ModelVersions.None;

    /// <summary>Roles that failed for this feature; non-empty exactly when <see cref="Source"/> is degraded by a role.</summary>
    public IReadOnlyList<string> DegradedRoles { get; init; } = [];

    /// <summary>How old the chain was at the impression, in event time (null when there is no chain).</summary>
    public TimeSpan? ChainAge { get; init; }

    /// <summary>Builds the feature for an impression from the chain that serves its user.</summary>
    public static ChainFeature For(Impression impression, Chain? chain, ChainSource source, double generationLatencyMs, double? validatorScore = null, IReadOnlyList<string>? degradedRoles = null)
    {
        ArgumentNullException.ThrowIfNull(impression);
        return new ChainFeature(
            impression.ImpressionId,
            impression.UserId,
            impression.ItemId,
            impression.EventTime,
            chain?.ChainId,
            chain?.Text ?? string.Empty,
            source,
            chain?.GeneratorVersion ?? string.Empty,
            chain?.Embedding ?? [],
            validatorScore,
            chain?.ExplorationCandidates ?? [],
            generationLatencyMs)
        {
            PromptEmbedding = chain?.PromptEmbedding ?? [],
            Versions = chain?.Versions ?? ModelVersions.None,
            DegradedRoles = degradedRoles ?? [],
            ChainAge = chain is null ? null : impression.EventTime - chain.GeneratedAt,
        };
    }
}
