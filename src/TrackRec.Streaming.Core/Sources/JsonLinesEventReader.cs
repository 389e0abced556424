using System.Globalization;
using System.Text.Json;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Sources;

/// <summary>
/// Reads hand-written or exported JSON-lines files (one object per line, <c>type</c> = item, impression,
/// click or comment) so the demo can replay any recorded behaviour; bad lines are reported and skipped.
/// </summary>
/// <remarks>
/// <c>ts</c> is an ISO-8601 string (no offset means UTC) or a number of epoch milliseconds. An empty
/// <c>impression_id</c> on a click counts as absent. Ids must be JSON strings.
/// </remarks>
public static class JsonLinesEventReader
{
    /// <summary>Reads the file at <paramref name="path"/> (UTF-8).</summary>
    public static EventStream ReadFile(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader);
    }

    /// <summary>Reads lines until the end of <paramref name="reader"/>; blank lines are ignored.</summary>
    public static EventStream Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var items = new List<CatalogItem>();
        var events = new List<BehaviourEvent>();
        var problems = new List<SourceProblem>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                switch (Parse(line))
                {
                    case CatalogItem item:
                        items.Add(item);
                        break;
                    case BehaviourEvent e:
                        events.Add(e);
                        break;
                }
            }
            catch (EventValidationException ex)
            {
                problems.Add(new SourceProblem(lineNumber, ex.Message));
            }
        }
        return new EventStream(items, events, problems);
    }

    /// <summary>Returns a <see cref="CatalogItem"/> or a <see cref="BehaviourEvent"/>; throws <see cref="EventValidationException"/>.</summary>
    private static object Parse(string line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new EventValidationException($"not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var o = document.RootElement;
            if (o.ValueKind != JsonValueKind.Object)
                throw new EventValidationException($"expected a JSON object, found {o.ValueKind}");

            var type = OptionalString(o, "type")
                ?? throw new EventValidationException("type is missing");
            switch (type)
            {
                case "item":
                {
                    var item = new CatalogItem(
                        RequiredString(o, "item_id"),
                        RequiredString(o, "title"),
                        Categories(o),
                        OptionalString(o, "text"),
                        Has(o, "ts") ? Time(o) : null);
                    EventValidator.Validate(item);
                    return item;
                }
                case "impression":
                    return Valid(new Impression(
                        RequiredString(o, "event_id"), RequiredString(o, "user_id"), RequiredString(o, "item_id"), Time(o),
                        RequiredString(o, "impression_id"), OptionalInt(o, "position"), OptionalString(o, "surface")));
                case "click":
                    var impressionId = OptionalString(o, "impression_id");
                    return Valid(new Click(
                        RequiredString(o, "event_id"), RequiredString(o, "user_id"), RequiredString(o, "item_id"), Time(o),
                        string.IsNullOrWhiteSpace(impressionId) ? null : impressionId));
                case "comment":
                    return Valid(new Comment(
                        RequiredString(o, "event_id"), RequiredString(o, "user_id"), RequiredString(o, "item_id"), Time(o),
                        OptionalString(o, "text") ?? throw new EventValidationException("text is missing")));
                default:
                    throw new EventValidationException($"unknown type '{type}' (expected item, impression, click or comment)");
            }
        }
    }

    private static BehaviourEvent Valid(BehaviourEvent e)
    {
        EventValidator.Validate(e);
        return e;
    }

    private static bool Has(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static string RequiredString(JsonElement o, string name)
    {
        var value = OptionalString(o, name);
        if (string.IsNullOrWhiteSpace(value))
            throw new EventValidationException(value is null ? $"{name} is missing" : $"{name} is empty");
        return value;
    }

    private static string? OptionalString(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new EventValidationException($"{name} must be a string, found {value.ValueKind}");
        return value.GetString();
    }

    private static int? OptionalInt(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            throw new EventValidationException($"{name} must be an integer, found {value}");
        return number;
    }

    private static List<string> Categories(JsonElement o)
    {
        if (!o.TryGetProperty("categories", out var value) || value.ValueKind == JsonValueKind.Null)
            throw new EventValidationException("categories is missing");
        if (value.ValueKind != JsonValueKind.Array)
            throw new EventValidationException($"categories must be a list of strings, found {value.ValueKind}");
        var categories = new List<string>(value.GetArrayLength());
        foreach (var category in value.EnumerateArray())
        {
            if (category.ValueKind != JsonValueKind.String)
                throw new EventValidationException($"categories must be a list of strings, found {category.ValueKind} in it");
            categories.Add(category.GetString()!);
        }
        return categories;
    }

    private static DateTimeOffset Time(JsonElement o)
    {
        if (!o.TryGetProperty("ts", out var value) || value.ValueKind == JsonValueKind.Null)
            throw new EventValidationException("ts is missing");
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetInt64(out var ms):
                if (ms < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                    throw new EventValidationException($"ts {ms} is out of range for epoch milliseconds");
                return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            case JsonValueKind.String:
                var text = value.GetString()!;
                // Requiring the ISO date shape first stops culture-style dates ("01/02/2026") from being guessed at.
                if (text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[7] == '-'
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var time))
                    return time;
                throw new EventValidationException($"ts '{text}' is not an ISO-8601 time");
            default:
                throw new EventValidationException($"ts must be an ISO-8601 string or epoch milliseconds, found {value}");
        }
    }
}
