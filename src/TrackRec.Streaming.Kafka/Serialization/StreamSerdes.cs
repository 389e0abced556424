using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Features;
using TrackRec.Streaming.Kafka.Configuration;
using TrackRec.Streaming.Kafka.DeadLetters;
using Confluent.SchemaRegistry;
using TrackRec.Streaming.Outcomes;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// The serdes of one worker's topics, built once from the topic names and the schema registry, and
/// the decoding of the co-partitioned behaviour inputs by their index (0 impressions, 1 clicks, 2 comments).
/// </summary>
public sealed class StreamSerdes
{
    /// <summary>Number of co-partitioned behaviour inputs.</summary>
    public const int BehaviourInputCount = 3;

    /// <summary>Builds the serdes for <paramref name="topics"/>.</summary>
    public StreamSerdes(ISchemaRegistryClient registry, TopicOptions topics)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Topics = topics ?? throw new ArgumentNullException(nameof(topics));
        var contract = new ContractSerdes(registry);
        Impressions = contract.Impressions(topics.Impressions);
        Clicks = contract.Clicks(topics.Clicks);
        Comments = contract.Comments(topics.Comments);
        Items = contract.Items(topics.Items);
        Features = contract.ChainFeatures(topics.Features);
        UserChains = contract.UserChains(topics.UserChains);
        Outcomes = contract.Outcomes(topics.Outcomes);
        DeadLetters = contract.DeadLetters(topics.DeadLetters);
        BatchManifests = contract.BatchManifests(topics.BatchManifests);
    }

    /// <summary>The topic names these serdes were built for.</summary>
    public TopicOptions Topics { get; }
    /// <summary>Impressions input.</summary>
    public AvroSerde<Impression> Impressions { get; }
    /// <summary>Clicks input.</summary>
    public AvroSerde<Click> Clicks { get; }
    /// <summary>Comments input.</summary>
    public AvroSerde<Comment> Comments { get; }
    /// <summary>Catalog input.</summary>
    public AvroSerde<CatalogItem> Items { get; }
    /// <summary>Feature output.</summary>
    public AvroSerde<ChainFeature> Features { get; }
    /// <summary>Per-user chain output.</summary>
    public AvroSerde<Chain> UserChains { get; }
    /// <summary>Outcome output.</summary>
    public AvroSerde<Outcome> Outcomes { get; }
    /// <summary>Dead-letter output.</summary>
    public AvroSerde<DeadLetter> DeadLetters { get; }
    /// <summary>Batch manifest output.</summary>
    public AvroSerde<PublishedManifest> BatchManifests { get; }

    /// <summary>Decodes a record of behaviour input <paramref name="input"/>; failures are <see cref="RecordDecodeException"/>s.</summary>
    public async ValueTask<BehaviourEvent> DecodeBehaviourAsync(int input, byte[]? value, CancellationToken cancellationToken)
    {
        if (value is null)
            throw new WireFormatException("the record has no value (a tombstone on an event topic)");
        return input switch
        {
            0 => await Impressions.DeserializeAsync(value, cancellationToken).ConfigureAwait(false),
            1 => await Clicks.DeserializeAsync(value, cancellationToken).ConfigureAwait(false),
            2 => await Comments.DeserializeAsync(value, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input, "not a behaviour input"),
        };
    }

    /// <summary>Encodes a behaviour event for its input topic (producers, demo, tests).</summary>
    public ValueTask<byte[]> EncodeBehaviourAsync(BehaviourEvent e, CancellationToken cancellationToken) => e switch
    {
        Impression i => Impressions.SerializeAsync(i, cancellationToken),
        Click c => Clicks.SerializeAsync(c, cancellationToken),
        Comment c => Comments.SerializeAsync(c, cancellationToken),
        _ => throw new ArgumentException($"unknown event type {e?.GetType().Name}", nameof(e)),
    };

    /// <summary>The input topic an event belongs on.</summary>
    public string TopicOf(BehaviourEvent e) => e switch
    {
        Impression => Topics.Impressions,
        Click => Topics.Clicks,
        Comment => Topics.Comments,
        _ => throw new ArgumentException($"unknown event type {e?.GetType().Name}", nameof(e)),
    };
}
