namespace TrackRec.Streaming.Events;

/// <summary>
/// Checks the rules of the public contract that a schema cannot express (non-empty ids, a real time),
/// so that every source (Avro topics, JSON lines, datasets) rejects the same records for the same reasons.
/// </summary>
public static class EventValidator
{
    /// <summary>Throws <see cref="EventValidationException"/> naming the first broken rule.</summary>
    public static void Validate(BehaviourEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Require(e.EventId, "event_id");
        Require(e.UserId, "user_id");
        Require(e.ItemId, "item_id");
        if (e.EventTime == default)
            throw new EventValidationException("ts is missing");
        switch (e)
        {
            case Impression i:
                Require(i.ImpressionId, "impression_id");
                if (i.Position is < 0)
                    throw new EventValidationException("position must not be negative");
                break;
            case Comment c when c.Text is null:
                throw new EventValidationException("text is missing");
        }
    }

    /// <summary>Throws <see cref="EventValidationException"/> naming the first broken rule.</summary>
    public static void Validate(CatalogItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        Require(item.ItemId, "item_id");
        if (item.Title is null)
            throw new EventValidationException("title is missing");
        if (item.Categories is null)
            throw new EventValidationException("categories is missing");
    }

    private static void Require(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new EventValidationException($"{field} is empty");
    }
}
