namespace TrackRec.Streaming.Feedback;

/// <summary>
/// A cut batch of one partition: its records, the input offset ranges they came from, and the handles of
/// those input records (<typeparamref name="TOrigin"/>), which may be released once the batch is durable.
/// </summary>
public sealed record FeedbackBatch<TOrigin>(
    string BatchId,
    int Partition,
    IReadOnlyList<InputRange> InputRanges,
    IReadOnlyList<PreferenceRecord> Preferences,
    IReadOnlyList<ValidatorRecord> ValidatorRecords,
    IReadOnlyList<TOrigin> Origins,
    DateTimeOffset FirstEventTime,
    DateTimeOffset LastEventTime)
{
    /// <summary>Records in the batch.</summary>
    public int Count => Preferences.Count + ValidatorRecords.Count;
}
