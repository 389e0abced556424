namespace TrackRec.Streaming.Tests.Hosting.Fuzz;

/// <summary>One record written straight onto an input topic by the fuzz tests, and what it should become.</summary>
/// <param name="Kind">The class of damage, or of compatible schema for records that must be processed.</param>
/// <param name="Topic">Input topic it goes to.</param>
/// <param name="Key">Kafka key (a user id; items by item id).</param>
/// <param name="Value">Record value bytes as written.</param>
/// <param name="Timestamp">Kafka record timestamp.</param>
/// <param name="ImpressionId">For a record that must decode: the impression id its feature is keyed by.</param>
internal sealed record FuzzedRecord(string Kind, string Topic, string Key, byte[] Value, DateTimeOffset Timestamp, string? ImpressionId = null)
{
    /// <summary>Written with an older or newer compatible schema: must decode and be processed.</summary>
    public bool MustDecode => ImpressionId is not null;

    public override string ToString() => $"{Kind} -> {Topic} key {Key}, {Value.Length} bytes, ts {Timestamp:u}";
}
