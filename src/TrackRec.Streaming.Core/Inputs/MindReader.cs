using System.Globalization;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Inputs;

/// <summary>
/// Turns a MIND directory (Microsoft News Dataset, original layout: behaviors.tsv, news.tsv) into a
/// behaviour stream.
/// </summary>
/// <remarks>
/// <para>Each impression log's shown news become impressions at the log's time (event and impression id
/// <c>mind-{logId}-{position}</c>, position 0-based in the log, surface <see cref="LogSurface"/>); a news
/// marked <c>-1</c> is also a click one second later carrying that impression id.</para>
/// <para>History clicks have no times in MIND. They are placed as clicks WITHOUT impressions, oldest first,
/// one second apart, the newest <see cref="HistoryGap"/> before the user's first log; so they enter the
/// user's state (and the models' inputs) but are never impressions, and no metric ever counts them. The
/// history is read from the user's earliest log only: MIND repeats the same history on every log of a user.</para>
/// <para>Log times (<c>M/D/YYYY h:mm:ss AM</c>) are read as UTC. News rows become the catalog with
/// the category and subcategory as categories and the abstract as text; news without a row stay out of
/// the catalog and are served and labelled as items with no metadata.</para>
/// </remarks>
public static class MindReader
{
    /// <summary>The <see cref="Impression.Surface"/> of impressions read from impression logs.</summary>
    public const string LogSurface = "mind-log";

    /// <summary>How long before a user's first log their newest history click is placed.</summary>
    public static readonly TimeSpan HistoryGap = TimeSpan.FromMinutes(1);

    private static readonly string[] TimeFormats = ["M/d/yyyy h:mm:ss tt", "M/d/yyyy H:mm:ss"];

    /// <summary>Reads the dataset in <paramref name="directory"/>; <paramref name="maxUsers"/> keeps the first users in behaviors.tsv order.</summary>
    public static EventStream Read(string directory, int? maxUsers = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (maxUsers is < 0)
            throw new ArgumentOutOfRangeException(nameof(maxUsers), maxUsers, "must not be negative");
        var behaviours = Path.Combine(directory, "behaviors.tsv");
        if (!File.Exists(behaviours))
            throw new FileNotFoundException($"a MIND directory needs behaviors.tsv; none in '{directory}'", behaviours);
        var problems = new List<InputProblem>();
        var newsFile = Path.Combine(directory, "news.tsv");
        var items = File.Exists(newsFile) ? ReadNews(newsFile, problems) : [];
        var logs = ReadLogs(behaviours, maxUsers, problems);
        var events = new List<BehaviourEvent>();
        foreach (var log in logs)
            AddLog(log, events);
        foreach (var user in logs.GroupBy(l => l.UserId, StringComparer.Ordinal))
        {
            var first = user.MinBy(l => l.Time)!;
            for (var i = 0; i < first.History.Count; i++)
            {
                var time = first.Time - HistoryGap - TimeSpan.FromSeconds(first.History.Count - 1 - i);
                events.Add(new Click($"mind-h-{user.Key}-{i}", user.Key, first.History[i], time));
            }
        }
        return new EventStream(items, events, problems);
    }

    private static void AddLog(Log log, List<BehaviourEvent> events)
    {
        for (var p = 0; p < log.Shown.Count; p++)
        {
            var (news, clicked) = log.Shown[p];
            var id = $"mind-{log.Id}-{p}";
            events.Add(new Impression(id, log.UserId, news, log.Time, id, p, LogSurface));
            if (clicked)
                events.Add(new Click($"mind-c-{log.Id}-{p}", log.UserId, news, log.Time.AddSeconds(1), id));
        }
    }

    private static List<CatalogItem> ReadNews(string path, List<InputProblem> problems)
    {
        var items = new List<CatalogItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        ForEachLine(path, 4, problems, (fields, _) =>
        {
            var id = Required(fields[0], "news id");
            if (!seen.Add(id))
                throw new EventValidationException($"news {id} appears twice");
            var categories = new[] { fields[1].Trim(), fields[2].Trim() }.Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            var text = fields.Length > 4 && fields[4].Trim() is { Length: > 0 } a ? a : null;
            var item = new CatalogItem(id, Required(fields[3], "title"), categories, text);
            EventValidator.Validate(item);
            items.Add(item);
        });
        return items;
    }

    private static List<Log> ReadLogs(string path, int? maxUsers, List<InputProblem> problems)
    {
        var logs = new List<Log>();
        var users = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        ForEachLine(path, 5, problems, (fields, _) =>
        {
            var id = Required(fields[0], "impression id");
            var user = Required(fields[1], "user id");
            if (!users.Contains(user))
            {
                if (users.Count >= maxUsers)
                    return;
                users.Add(user);
            }
            if (!DateTimeOffset.TryParseExact(fields[2].Trim(), TimeFormats, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                throw new EventValidationException($"time '{fields[2]}' is not M/D/YYYY h:mm:ss AM");
            var history = fields[3].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var shown = fields[4].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Shown).ToList();
            if (shown.Count == 0)
                throw new EventValidationException($"impression log {id} shows no news");
            if (!ids.Add(id))
                throw new EventValidationException($"impression log {id} appears twice");
            logs.Add(new Log(id, user, time, history, shown));
        });
        return logs;
    }

    private static (string News, bool Clicked) Shown(string entry)
    {
        var dash = entry.LastIndexOf('-');
        if (dash <= 0 || entry[(dash + 1)..] is not ("0" or "1"))
            throw new EventValidationException($"shown news '{entry}' is not NEWSID-0 or NEWSID-1");
        return (entry[..dash], entry[^1] == '1');
    }

    /// <summary>Calls <paramref name="handle"/> per non-blank line split on tabs; a rejected line becomes a problem naming the file.</summary>
    private static void ForEachLine(string path, int minFields, List<InputProblem> problems, Action<string[], int> handle)
    {
        var file = Path.GetFileName(path);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0)
                continue;
            try
            {
                var fields = line.Split('\t');
                if (fields.Length < minFields)
                    throw new EventValidationException($"expected at least {minFields} tab-separated fields, found {fields.Length}");
                handle(fields, number);
            }
            catch (EventValidationException ex)
            {
                problems.Add(new InputProblem(number, $"{file}: {ex.Message}"));
            }
        }
    }

    private static string Required(string value, string column)
    {
        var v = value.Trim();
        return v.Length > 0 ? v : throw new EventValidationException($"{column} is empty");
    }

    private sealed record Log(string Id, string UserId, DateTimeOffset Time, IReadOnlyList<string> History, IReadOnlyList<(string News, bool Clicked)> Shown);
}
