namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// Registry subject names by Confluent's TopicNameStrategy, so other Confluent clients reading our topics
/// find the same subjects.
/// </summary>
public static class SubjectNames
{
    /// <summary>The subject of a topic's record values: <c>{topic}-value</c>.</summary>
    public static string ForValue(string topic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        return topic + "-value";
    }

    /// <summary>The subject of a topic's record keys: <c>{topic}-key</c>.</summary>
    public static string ForKey(string topic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        return topic + "-key";
    }
}
