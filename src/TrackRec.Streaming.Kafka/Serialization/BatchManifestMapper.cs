using Avro;
using Avro.Generic;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Feedback;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>Maps <see cref="PublishedManifest"/> to and from schemas/batch_manifest.avsc.</summary>
public sealed class BatchManifestMapper : IAvroMapper<PublishedManifest>
{
    /// <summary>The mapper is stateless; share this instance.</summary>
    public static BatchManifestMapper Instance { get; } = new();

    /// <inheritdoc />
    public GenericRecord ToRecord(PublishedManifest value, RecordSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(schema);
        var manifest = value.Manifest;
        var rangeSchema = ItemSchema(schema, "input_ranges");
        var fileSchema = ItemSchema(schema, "files");
        var record = new GenericRecord(schema);
        record.Add("batch_id", manifest.BatchId);
        record.Add("format_version", manifest.FormatVersion);
        record.Add("location", value.Location);
        record.Add("partition", manifest.Partition);
        record.Add("input_ranges", manifest.InputRanges.Select(r =>
        {
            var range = new GenericRecord(rangeSchema);
            range.Add("topic", r.Topic);
            range.Add("partition", r.Partition);
            range.Add("first_offset", r.FirstOffset);
            range.Add("last_offset", r.LastOffset);
            return range;
        }).ToArray());
        record.Add("first_event_ts", AvroFields.ToAvro(manifest.FirstEventTime));
        record.Add("last_event_ts", AvroFields.ToAvro(manifest.LastEventTime));
        record.Add("generator_versions", manifest.ModelVersions.Select(v => v.Generator).Distinct(StringComparer.Ordinal).ToArray());
        record.Add("validator_versions", manifest.ModelVersions.Select(v => v.Validator).Distinct(StringComparer.Ordinal).ToArray());
        record.Add("preference_records", manifest.PreferenceRecords);
        record.Add("validator_records", manifest.ValidatorRecords);
        record.Add("files", manifest.Files.Select(f =>
        {
            var file = new GenericRecord(fileSchema);
            file.Add("name", f.Name);
            file.Add("format", f.Format);
            file.Add("records", f.Records);
            file.Add("bytes", f.Bytes);
            file.Add("sha256", f.Sha256);
            return file;
        }).ToArray());
        record.Add("replay_job_id", manifest.Replay?.JobId);
        record.Add("replay_source_range", manifest.Replay?.SourceRange);
        return record;
    }

    /// <inheritdoc />
    public PublishedManifest FromRecord(GenericRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var generators = AvroFields.StringList(record, "generator_versions");
        var validators = AvroFields.StringList(record, "validator_versions");
        var jobId = AvroFields.OptionalString(record, "replay_job_id");
        var manifest = new BatchManifest(
            AvroFields.Int(record, "format_version"),
            AvroFields.String(record, "batch_id"),
            AvroFields.Int(record, "partition"),
            Records(record, "input_ranges").Select(r => new InputRange(
                AvroFields.String(r, "topic"), AvroFields.Int(r, "partition"), AvroFields.Long(r, "first_offset"), AvroFields.Long(r, "last_offset"))).ToList(),
            AvroFields.Timestamp(record, "first_event_ts"),
            AvroFields.Timestamp(record, "last_event_ts"),
            // The topic carries the version names only; pair them up for readers that want ModelVersions.
            generators.Select((g, i) => ModelVersions.None with { Generator = g, Validator = i < validators.Count ? validators[i] : string.Empty }).ToList(),
            AvroFields.Int(record, "preference_records"),
            AvroFields.Int(record, "validator_records"),
            Records(record, "files").Select(f => new BatchFile(
                AvroFields.String(f, "name"), AvroFields.String(f, "format"), AvroFields.Int(f, "records"), AvroFields.Long(f, "bytes"), AvroFields.String(f, "sha256"))).ToList(),
            jobId is null ? null : new ReplayProvenance(jobId, AvroFields.OptionalString(record, "replay_source_range") ?? string.Empty));
        return new PublishedManifest(manifest, AvroFields.String(record, "location"));
    }

    private static RecordSchema ItemSchema(RecordSchema schema, string field) =>
        (RecordSchema)((ArraySchema)schema[field].Schema).ItemSchema;

    private static IEnumerable<GenericRecord> Records(GenericRecord record, string field) =>
        AvroFields.Get(record, field) switch
        {
            object[] items => items.Cast<GenericRecord>(),
            IEnumerable<GenericRecord> items => items,
            null => [],
            var other => throw new InvalidDataException($"field {field} is a {other.GetType().Name}, not an array of records"),
        };
}
