using System.Globalization;
using System.Text;
using System.Text.Json;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Inputs;

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
    // Strict: invalid bytes throw instead of silently becoming U+FFFD, so the line can be reported.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads the file at <paramref name="path"/> (UTF-8; a line with invalid bytes is reported).</summary>
    public static EventStream ReadFile(string path)
    {
        using var input = File.OpenRead(path);
        return Read(input);
    }

    /// <summary>Reads UTF-8 lines until the end of <paramref name="input"/>; blank lines are ignored, a line with invalid bytes is reported.</summary>
    public static EventStream Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Collect(Utf8Lines(input));
    }

    /// <summary>Reads lines until the end of <paramref name="reader"/>; blank lines are ignored.</summary>
    public static EventStream Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Collect(TextLines(reader));
    }

    private static EventStream Collect(IEnumerable<(string? Line, string? Problem)> lines)
    {
        var items = new List<CatalogItem>();
        var events = new List<BehaviourEvent>();
        var problems = new List<InputProblem>();
        var lineNumber = 0;
        foreach (var (line, problem) in lines)
        {
            lineNumber++;
            if (problem is not null)
            {
                problems.Add(new InputProblem(lineNumber, problem));
                continue;
            }
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
                problems.Add(new InputProblem(lineNumber, ex.Message));
            }
        }
        return new EventStream(items, events, problems);
    }

    private static IEnumerable<(string?, string?)> TextLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
            yield return (line, null);
    }

    // Splits raw bytes at '\n' (a '\r' before it is dropped) and decodes each line on its own, so invalid
    // UTF-8 costs one reported line and the line numbers stay those of the file.
    private static IEnumerable<(string?, string?)> Utf8Lines(Stream input)
    {
        var buffer = new byte[64 * 1024];
        using var line = new MemoryStream();
        var first = true;
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != (byte)'\n')
                    continue;
                line.Write(buffer, start, i - start);
                yield return Decode(line, first);
                first = false;
                line.SetLength(0);
                start = i + 1;
            }
            line.Write(buffer, start, read - start);
        }
        if (line.Length > 0)
            yield return Decode(line, first);
    }

    private static (string?, string?) Decode(MemoryStream line, bool first)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
            bytes = bytes[..^1];
        if (first && bytes.StartsWith("\uFEFF"u8))
            bytes = bytes[3..];
        try
        {
            return (StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException ex)
        {
            return (null, $"not valid UTF-8 (invalid bytes at byte {Math.Max(0, ex.Index) + 1} of the line)");
        }
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
