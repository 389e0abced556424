using System.ComponentModel.DataAnnotations;

namespace TrackRec.Streaming.Feedback;

/// <summary>
/// When and where preference and validator records are written as batch files for retraining jobs
/// (section <see cref="Section"/>). A batch is cut per partition after <see cref="MaxRecords"/> records or
/// once the partition's event time has moved <see cref="MaxSpan"/> past the batch's first record, whichever
/// comes first. Both are measured on the stream, not the wall clock, so a replay cuts the same batches.
/// </summary>
public sealed class BatchOptions : IValidatableObject
{
    /// <summary>Configuration section.</summary>
    public const string Section = "TrackRec:Feedback:Batches";

    private const string Key = Section + ":";

    /// <summary>Where batches are written (local directory store); one sub-directory per batch.</summary>
    public string Directory { get; set; } = "batches";

    /// <summary>Records (preference + validator) per batch at most.</summary>
    [Range(1, 10_000_000, ErrorMessage = Key + "MaxRecords must be between 1 and 10000000")]
    public int MaxRecords { get; set; } = 5000;

    /// <summary>Event time a batch may span before it is cut.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = Key + "MaxSpan must be between 1 second and 7 days")]
    public TimeSpan MaxSpan { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Write the JSON Lines files gzip-compressed (*.jsonl.gz).</summary>
    public bool Gzip { get; set; }

    /// <summary>Also write the preferences in OpenAI's preference fine-tuning format.</summary>
    public bool OpenAiExport { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Directory))
            yield return new ValidationResult($"{Key}Directory must name the batch directory", [nameof(Directory)]);
    }
}
