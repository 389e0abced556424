using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.DeadLetters;
using Confluent.SchemaRegistry;
using TrackRec.Streaming.Outcomes;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// Builds the serde of each contract type over one registry, so callers pick a topic and never pair a schema
/// with the wrong mapper.
/// </summary>
public sealed class ContractSerdes(ISchemaRegistryClient registry)
{
    private readonly ISchemaRegistryClient _registry = registry ?? throw new ArgumentNullException(nameof(registry));

    /// <summary>The registry every serde built here uses.</summary>
    public ISchemaRegistryClient Registry => _registry;

    /// <summary>Impressions on <paramref name="topic"/>.</summary>
    public AvroSerde<Impression> Impressions(string topic) =>
        new(_registry, ContractSchemas.Impression, ImpressionMapper.Instance, topic);

    /// <summary>Clicks on <paramref name="topic"/>.</summary>
    public AvroSerde<Click> Clicks(string topic) =>
        new(_registry, ContractSchemas.Click, ClickMapper.Instance, topic);

    /// <summary>Comments on <paramref name="topic"/>.</summary>
    public AvroSerde<Comment> Comments(string topic) =>
        new(_registry, ContractSchemas.Comment, CommentMapper.Instance, topic);

    /// <summary>Catalog items on <paramref name="topic"/>.</summary>
    public AvroSerde<CatalogItem> Items(string topic) =>
        new(_registry, ContractSchemas.Item, CatalogItemMapper.Instance, topic);

    /// <summary>Per-impression chain features on <paramref name="topic"/>.</summary>
    public AvroSerde<ChainFeature> ChainFeatures(string topic) =>
        new(_registry, ContractSchemas.ChainFeature, ChainFeatureMapper.Instance, topic);

    /// <summary>Per-user latest chains on (compacted) <paramref name="topic"/>.</summary>
    public AvroSerde<Chain> UserChains(string topic) =>
        new(_registry, ContractSchemas.UserChain, UserChainMapper.Instance, topic);

    /// <summary>Outcome labels on <paramref name="topic"/>.</summary>
    public AvroSerde<Outcome> Outcomes(string topic) =>
        new(_registry, ContractSchemas.Outcome, OutcomeMapper.Instance, topic);

    /// <summary>Batch manifests on <paramref name="topic"/>.</summary>
    public AvroSerde<PublishedManifest> BatchManifests(string topic) =>
        new(_registry, ContractSchemas.BatchManifest, BatchManifestMapper.Instance, topic);

    /// <summary>Dead letters on <paramref name="topic"/>.</summary>
    public AvroSerde<DeadLetter> DeadLetters(string topic) =>
        new(_registry, ContractSchemas.DeadLetter, DeadLetterMapper.Instance, topic);
}
