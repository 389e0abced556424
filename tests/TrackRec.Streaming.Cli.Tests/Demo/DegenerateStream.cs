using System.Globalization;
using System.Text;

namespace TrackRec.Streaming.Tests.Demo;

/// <summary>
/// Writes small JSON-lines streams of one odd shape each (one user, one item, no clicks, ...), seeded, so
/// the tests that feed them to the commands need no data on disk.
/// </summary>
internal static class DegenerateStream
{
    private static readonly string[] Categories = ["jazz", "rock", "pop", "sci-fi", "cooking"];

    public static string Write(string directory, string shape)
    {
        var path = Path.Combine(directory, shape + ".jsonl");
        File.WriteAllText(path, Lines(shape), Encoding.UTF8);
        return path;
    }

    private static string Lines(string shape) => shape switch
    {
        "empty" => "",
        "items-only" => Catalog(withCategories: true),
        "one-user" => Catalog(true) + Behaviour(users: 1, items: 20, clickShare: 0.3, impressions: 300),
        "one-item" => Catalog(true) + Behaviour(users: 30, items: 1, clickShare: 0.3, impressions: 300),
        "no-clicks" => Catalog(true) + Behaviour(users: 30, items: 20, clickShare: 0, impressions: 300),
        "all-clicks" => Catalog(true) + Behaviour(users: 30, items: 20, clickShare: 1, impressions: 300),
        "smaller-than-training-share" => Catalog(true) + Behaviour(users: 5, items: 20, clickShare: 0.3, impressions: 3),
        "no-categories" => Catalog(false) + Behaviour(users: 30, items: 20, clickShare: 0.3, impressions: 300),
        "no-catalog" => Behaviour(users: 30, items: 20, clickShare: 0.3, impressions: 300),
        "slice-276" => string.Concat((Catalog(true) + Behaviour(users: 20, items: 20, clickShare: 0.3, impressions: 400)).Split('\n').Take(20 + 276).Select(l => l + "\n")),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown stream shape"),
    };

    private static string Catalog(bool withCategories)
    {
        var text = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            var categories = withCategories ? $"\"{Categories[i % 5]}\",\"{Categories[(i + 1) % 5]}\"" : "";
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"item\",\"item_id\":\"i-{i}\",\"title\":\"Title {i}\",\"categories\":[{categories}]}}\n");
        }
        return text.ToString();
    }

    private static string Behaviour(int users, int items, double clickShare, int impressions)
    {
        var random = new Random(1);
        var text = new StringBuilder();
        var minute = 0;
        string Ts() => DateTimeOffset.FromUnixTimeSeconds(1_767_225_600 + 60L * ++minute).ToString("O", CultureInfo.InvariantCulture);
        for (var n = 0; n < impressions; n++)
        {
            var (user, item) = (random.Next(users), random.Next(items));
            text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"impression\",\"event_id\":\"e-{n}\",\"user_id\":\"u-{user}\",\"item_id\":\"i-{item}\",\"impression_id\":\"imp-{n}\",\"ts\":\"{Ts()}\",\"position\":0}}\n");
            if (random.NextDouble() < clickShare)
                text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"click\",\"event_id\":\"c-{n}\",\"user_id\":\"u-{user}\",\"item_id\":\"i-{item}\",\"impression_id\":\"imp-{n}\",\"ts\":\"{Ts()}\"}}\n");
        }
        return text.ToString();
    }
}
