using System.Globalization;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Inputs;

/// <summary>
/// Turns a MovieLens dataset directory (the "latest-small" layout: movies.csv, ratings.csv, optional
/// tags.csv) into a behaviour stream, so the demo can run on real user histories.
/// </summary>
/// <remarks>
/// User and item ids are the dataset's numbers as plain strings ("1", "318"). Every rating becomes an
/// impression (event and impression id <c>ml-r-{userId}-{movieId}-{timestamp}</c>); a rating of 4.0 or more
/// is also a click one second later carrying that impression id (event id <c>ml-c-...</c>); a tag becomes
/// a comment with the tag as text (event id <c>ml-t-...</c>). The rating value itself is not carried.
/// Movies become the catalog, genres the categories ("(no genres listed)" gives none).
/// Problems name the file in their message, since line numbers are per file.
/// </remarks>
public static class MovieLensReader
{
    /// <summary>Ratings at or above this count as a click.</summary>
    public const double ClickRating = 4.0;

    /// <summary>
    /// Reads the dataset in <paramref name="directory"/>. <paramref name="maxUsers"/> keeps the first users in
    /// ratings.csv order, <paramref name="maxRatings"/> stops after that many ratings; with either limit, tags
    /// are kept only for users whose ratings were kept. The catalog is always complete.
    /// </summary>
    public static EventStream Read(string directory, int? maxUsers = null, int? maxRatings = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (maxUsers is < 0)
            throw new ArgumentOutOfRangeException(nameof(maxUsers), maxUsers, "must not be negative");
        if (maxRatings is < 0)
            throw new ArgumentOutOfRangeException(nameof(maxRatings), maxRatings, "must not be negative");

        var problems = new List<InputProblem>();
        var items = ReadMovies(Path.Combine(directory, "movies.csv"), problems);
        var events = new List<BehaviourEvent>();
        var users = ReadRatings(Path.Combine(directory, "ratings.csv"), maxUsers, maxRatings, events, problems);
        var tags = Path.Combine(directory, "tags.csv");
        if (File.Exists(tags))
            ReadTags(tags, maxUsers is null && maxRatings is null ? null : users, events, problems);
        return new EventStream(items, events, problems);
    }

    private static List<CatalogItem> ReadMovies(string path, List<InputProblem> problems)
    {
        var items = new List<CatalogItem>();
        ForEachRow(path, ["movieId", "title", "genres"], problems, (row, line) =>
        {
            var id = Id(row[0], "movieId");
            var genres = row[2].Trim();
            IReadOnlyList<string> categories = genres is "" or "(no genres listed)"
                ? []
                : genres.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var item = new CatalogItem(id, row[1], categories);
            EventValidator.Validate(item);
            items.Add(item);
        });
        return items;
    }

    private static HashSet<string> ReadRatings(
        string path, int? maxUsers, int? maxRatings, List<BehaviourEvent> events, List<InputProblem> problems)
    {
        var users = new HashSet<string>(StringComparer.Ordinal);
        var ratings = 0;
        ForEachRow(path, ["userId", "movieId", "rating", "timestamp"], problems, (row, line) =>
        {
            if (ratings >= maxRatings)
                return false;
            var user = Id(row[0], "userId");
            if (!users.Contains(user))
            {
                if (users.Count >= maxUsers)
                    return true; // later rows may still belong to kept users
                users.Add(user);
            }

            var movie = Id(row[1], "movieId");
            var rating = Number(row[2], "rating");
            var (time, seconds) = Seconds(row[3]);
            var impressionId = $"ml-r-{user}-{movie}-{seconds}";
            var impression = new Impression(impressionId, user, movie, time, impressionId);
            EventValidator.Validate(impression);
            events.Add(impression);
            // One second later so that the click follows its impression in event time.
            if (rating >= ClickRating)
                events.Add(new Click($"ml-c-{user}-{movie}-{seconds}", user, movie, time.AddSeconds(1), impressionId));
            ratings++;
            return true;
        });
        return users;
    }

    private static void ReadTags(string path, HashSet<string>? users, List<BehaviourEvent> events, List<InputProblem> problems)
    {
        // The same user may put several tags on a movie within one second.
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        ForEachRow(path, ["userId", "movieId", "tag", "timestamp"], problems, (row, line) =>
        {
            var user = Id(row[0], "userId");
            if (users is not null && !users.Contains(user))
                return true;
            var movie = Id(row[1], "movieId");
            var (time, seconds) = Seconds(row[3]);
            var id = $"ml-t-{user}-{movie}-{seconds}";
            var n = seen[id] = seen.GetValueOrDefault(id) + 1;
            var comment = new Comment(n == 1 ? id : $"{id}-{n}", user, movie, time, row[2]);
            EventValidator.Validate(comment);
            events.Add(comment);
            return true;
        });
    }

    private static void ForEachRow(
        string path, string[] columns, List<InputProblem> problems, Action<string[], int> handle) =>
        ForEachRow(path, columns, problems, (row, line) =>
        {
            handle(row, line);
            return true;
        });

    /// <summary>
    /// Calls <paramref name="handle"/> with each row's fields in <paramref name="columns"/> order until it
    /// returns false. A row it rejects (<see cref="EventValidationException"/>) becomes a problem.
    /// </summary>
    private static void ForEachRow(
        string path, string[] columns, List<InputProblem> problems, Func<string[], int, bool> handle)
    {
        var file = Path.GetFileName(path);
        using var text = new StreamReader(path);
        var csv = new CsvRecordReader(text);
        if (!csv.TryRead(out var header, out _))
            throw new InvalidDataException($"{file} is empty; expected a header {string.Join(',', columns)}");
        // Columns are found by name so that a reordered or widened export still reads.
        var index = columns.Select(c => header.FindIndex(h => string.Equals(h.Trim(), c, StringComparison.Ordinal))).ToArray();
        var missing = columns.Where((_, i) => index[i] < 0).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{file} has no column {string.Join(", ", missing)}; header is {string.Join(',', header)}");

        var row = new string[columns.Length];
        while (csv.TryRead(out var fields, out var error))
        {
            if (fields is [""])
                continue; // blank line
            try
            {
                if (error is not null)
                    throw new EventValidationException(error);
                if (fields.Count != header.Count)
                    throw new EventValidationException($"expected {header.Count} fields, found {fields.Count}");
                for (var i = 0; i < columns.Length; i++)
                    row[i] = fields[index[i]];
                if (!handle(row, csv.LineNumber))
                    return;
            }
            catch (EventValidationException ex)
            {
                problems.Add(new InputProblem(csv.LineNumber, $"{file}: {ex.Message}"));
            }
        }
    }

    private static string Id(string value, string column)
    {
        var id = value.Trim();
        if (id.Length == 0)
            throw new EventValidationException($"{column} is empty");
        return id;
    }

    private static double Number(string value, string column) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw new EventValidationException($"{column} '{value}' is not a number");

    private static (DateTimeOffset Time, long Seconds) Seconds(string value)
    {
        if (!long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            || seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            throw new EventValidationException($"timestamp '{value}' is not epoch seconds");
        return (DateTimeOffset.FromUnixTimeSeconds(seconds), seconds);
    }
}
