namespace TrackRec.Streaming.Events;

/// <summary>
/// Checks the rules of the public contract that a schema cannot express (non-empty ids of bounded length,
/// a time between 1970 and 2100, valid UTF-8 text of bounded length), so that every source (Avro topics,
/// JSON lines, datasets) rejects the same records for the same reasons.
/// </summary>
public static class EventValidator
{
    /// <summary>Longest id (event, user, item, impression, surface, category) the contract accepts, in chars.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Longest text (comment, title, item text) the contract accepts, in chars; prompts cut far shorter.</summary>
    public const int MaxTextLength = 65_536;

    /// <summary>Earliest event time accepted: behaviour before the Unix epoch is a unit or sign error.</summary>
    public static readonly DateTimeOffset EarliestTime = DateTimeOffset.UnixEpoch;

    /// <summary>First event time no longer accepted: a year such as 9999 is a placeholder, and it would hold back every label of its partition.</summary>
    public static readonly DateTimeOffset LatestTime = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Throws <see cref="EventValidationException"/> naming the first broken rule.</summary>
    public static void Validate(BehaviourEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Id(e.EventId, "event_id");
        Id(e.UserId, "user_id");
        Id(e.ItemId, "item_id");
        if (e.EventTime == default)
            throw new EventValidationException("ts is missing");
        Time(e.EventTime);
        switch (e)
        {
            case Impression i:
                Id(i.ImpressionId, "impression_id");
                if (i.Position is < 0)
                    throw new EventValidationException("position must not be negative");
                if (i.Surface is not null)
                    Bounded(i.Surface, "surface", MaxIdLength);
                break;
            case Click { ImpressionId: { } impressionId }:
                Bounded(impressionId, "impression_id", MaxIdLength);
                break;
            case Comment c when c.Text is null:
                throw new EventValidationException("text is missing");
            case Comment c:
                Bounded(c.Text, "text", MaxTextLength);
                break;
        }
    }

    /// <summary>Throws <see cref="EventValidationException"/> naming the first broken rule.</summary>
    public static void Validate(CatalogItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Id(item.ItemId, "item_id");
        if (item.Title is null)
            throw new EventValidationException("title is missing");
        Bounded(item.Title, "title", MaxTextLength);
        if (item.Categories is null)
            throw new EventValidationException("categories is missing");
        foreach (var category in item.Categories)
            Bounded(category, "a category", MaxIdLength);
        if (item.Text is not null)
            Bounded(item.Text, "text", MaxTextLength);
        if (item.UpdatedAt is { } updated)
            Time(updated);
    }

    private static void Id(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new EventValidationException($"{field} is empty");
        Bounded(value, field, MaxIdLength);
    }

    private static void Bounded(string value, string field, int maxLength)
    {
        if (value.Length > maxLength)
            throw new EventValidationException($"{field} has {value.Length:N0} characters, more than the {maxLength:N0} allowed");
        // Decoders replace invalid UTF-8 bytes with U+FFFD and a lone surrogate cannot be encoded at all:
        // either way the producer's text is no longer what was meant, so the record is refused, not guessed at.
        if (value.Contains('\uFFFD', StringComparison.Ordinal))
            throw new EventValidationException($"{field} is not valid UTF-8 (it holds a replacement character U+FFFD)");
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(value[i]))
                throw new EventValidationException($"{field} is not valid UTF-8 (a lone surrogate at character {i})");
        }
    }

    private static void Time(DateTimeOffset time)
    {
        if (time < EarliestTime || time >= LatestTime)
            throw new EventValidationException($"ts {time:u} is outside the accepted range {EarliestTime:yyyy} to {LatestTime:yyyy}");
    }
}
