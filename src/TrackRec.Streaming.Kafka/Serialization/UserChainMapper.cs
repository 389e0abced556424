using Avro;
using Avro.Generic;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>Maps a user's latest <see cref="Chain"/> to and from schemas/user_chain.avsc.</summary>
public sealed class UserChainMapper : IAvroMapper<Chain>
{
    /// <summary>The mapper is stateless; share this instance.</summary>
    public static UserChainMapper Instance { get; } = new();

    /// <inheritdoc />
    public GenericRecord ToRecord(Chain value, RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(schema);
        var record = new GenericRecord(schema);
        record.Add("user_id", value.UserId);
        record.Add("chain_id", value.ChainId);
        record.Add("text", value.Text);
        record.Add("generator_version", value.GeneratorVersion);
        record.Add("generated_at", AvroFields.ToAvro(value.GeneratedAt));
        record.Add("history_version", value.HistoryVersion);
        record.Add("embedding", AvroFields.ToAvro(value.Embedding));
        record.Add("exploration_candidates", AvroFields.ToAvro(value.ExplorationCandidates));
        record.Add("log_probability", value.LogProbability);
        record.Add("held_out_reward", value.HeldOutReward);
        record.Add("samples", Math.Max(1, value.Samples.Count));
        record.Add("validator_version", value.Versions.Validator);
        return record;
    }

    /// <inheritdoc />
    public Chain FromRecord(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new Chain(
            AvroFields.String(record, "chain_id"),
            AvroFields.String(record, "user_id"),
            AvroFields.String(record, "text"),
            AvroFields.String(record, "generator_version"),
            AvroFields.Timestamp(record, "generated_at"),
            AvroFields.Long(record, "history_version"),
            AvroFields.FloatList(record, "embedding"),
            AvroFields.StringList(record, "exploration_candidates"))
        {
            LogProbability = AvroFields.OptionalDouble(record, "log_probability"),
            HeldOutReward = AvroFields.OptionalDouble(record, "held_out_reward"),
            Versions = ModelVersions.None with
            {
                Generator = AvroFields.String(record, "generator_version"),
                Validator = AvroFields.String(record, "validator_version"),
            },
        };
    }
}
