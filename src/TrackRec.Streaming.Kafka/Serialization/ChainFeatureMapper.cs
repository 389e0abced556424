using Avro;
using Avro.Generic;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Features;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>Maps <see cref="ChainFeature"/> to and from schemas/chain_feature.avsc.</summary>
public sealed class ChainFeatureMapper : IAvroMapper<ChainFeature>
{
    /// <summary>The mapper is stateless; share this instance.</summary>
    public static ChainFeatureMapper Instance { get; } = new();

    /// <inheritdoc />
    public GenericRecord ToRecord(ChainFeature value, RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(schema);
        var record = new GenericRecord(schema);
        record.Add("impression_id", value.ImpressionId);
        record.Add("user_id", value.UserId);
        record.Add("item_id", value.ItemId);
        record.Add("impression_ts", AvroFields.ToAvro(value.ImpressionTime));
        record.Add("chain_id", value.ChainId);
        record.Add("chain_text", value.ChainText ?? string.Empty);
        record.Add("source", AvroFields.Enum(schema, "source", ToSymbol(value.Source)));
        record.Add("generator_version", value.GeneratorVersion ?? string.Empty);
        record.Add("embedding", AvroFields.ToAvro(value.Embedding));
        record.Add("validator_score", value.ValidatorScore);
        record.Add("exploration_candidates", AvroFields.ToAvro(value.ExplorationCandidates));
        record.Add("generation_latency_ms", value.GenerationLatencyMs);
        record.Add("prompt_embedding", AvroFields.ToAvro(value.PromptEmbedding));
        record.Add("reflection_version", value.Versions.Reflection);
        record.Add("validator_version", value.Versions.Validator);
        record.Add("encoder_version", value.Versions.Encoder);
        record.Add("explorer_version", value.Versions.Explorer);
        record.Add("degraded_roles", AvroFields.ToAvro(value.DegradedRoles));
        record.Add("chain_age_ms", value.ChainAge is { } age ? (long)age.TotalMilliseconds : null);
        return record;
    }

    /// <inheritdoc />
    public ChainFeature FromRecord(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new ChainFeature(
            AvroFields.String(record, "impression_id"),
            AvroFields.String(record, "user_id"),
            AvroFields.String(record, "item_id"),
            AvroFields.Timestamp(record, "impression_ts"),
            AvroFields.OptionalString(record, "chain_id"),
            AvroFields.String(record, "chain_text"),
            FromSymbol(AvroFields.EnumSymbol(record, "source")),
            AvroFields.String(record, "generator_version"),
            AvroFields.FloatList(record, "embedding"),
            AvroFields.OptionalDouble(record, "validator_score"),
            AvroFields.StringList(record, "exploration_candidates"),
            AvroFields.Double(record, "generation_latency_ms"))
        {
            PromptEmbedding = AvroFields.FloatList(record, "prompt_embedding"),
            Versions = new ModelVersions(
                AvroFields.String(record, "generator_version"),
                AvroFields.String(record, "reflection_version"),
                AvroFields.String(record, "validator_version"),
                AvroFields.String(record, "encoder_version"),
                AvroFields.String(record, "explorer_version")),
            DegradedRoles = AvroFields.StringList(record, "degraded_roles"),
            ChainAge = AvroFields.OptionalLong(record, "chain_age_ms") is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        };
    }

    /// <summary>The contract's symbol for <paramref name="source"/>; spelled out so renaming the C# enum cannot change the contract.</summary>
    public static string ToSymbol(ChainSource source) => source switch
    {
        ChainSource.Fresh => "FRESH",
        ChainSource.Cached => "CACHED",
        ChainSource.Degraded => "DEGRADED",
        ChainSource.Stale => "STALE",
        ChainSource.None => "NONE",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "no contract symbol for this chain source"),
    };

    /// <summary>The <see cref="ChainSource"/> for a contract symbol.</summary>
    public static ChainSource FromSymbol(string symbol) => symbol switch
    {
        "FRESH" => ChainSource.Fresh,
        "CACHED" => ChainSource.Cached,
        "DEGRADED" => ChainSource.Degraded,
        "STALE" => ChainSource.Stale,
        "NONE" => ChainSource.None,
        _ => throw new InvalidDataException($"unknown ChainSource symbol '{symbol}'"),
    };
}
