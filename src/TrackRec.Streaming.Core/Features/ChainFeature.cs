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
    /// <summary>Builds the feature for an impression from the chain that serves its user.</summary>
    public static ChainFeature For(Impression impression, Chains.Chain? chain, ChainSource source, double generationLatencyMs)
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
            null,
            chain?.ExplorationCandidates ?? [],
            generationLatencyMs);
    }
}
