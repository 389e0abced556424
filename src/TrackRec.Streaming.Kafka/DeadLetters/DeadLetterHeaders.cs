namespace TrackRec.Streaming.Kafka.DeadLetters;

/// <summary>
/// Header names on every dead letter, so tooling can route and alert on provenance and error class
/// without decoding the Avro envelope.
/// </summary>
public static class DeadLetterHeaders
{
    /// <summary>The topic the failed record was read from.</summary>
    public const string SourceTopic = "trackrec.source.topic";
    /// <summary>Its partition.</summary>
    public const string SourcePartition = "trackrec.source.partition";
    /// <summary>Its offset.</summary>
    public const string SourceOffset = "trackrec.source.offset";
    /// <summary>The stable error class (wire-format, unknown-schema, avro-decode, invalid-event, processing-error).</summary>
    public const string ErrorClass = "trackrec.error.class";
    /// <summary>The error message.</summary>
    public const string ErrorMessage = "trackrec.error.message";
    /// <summary>Present when the value was too large to carry whole: its length in bytes (the dead letter holds its start).</summary>
    public const string OriginalValueBytes = "trackrec.original.value.bytes";
    /// <summary>Present when the key was too large to carry whole: its length in bytes.</summary>
    public const string OriginalKeyBytes = "trackrec.original.key.bytes";
}
