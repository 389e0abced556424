using System.Globalization;
using TrackRec.Streaming.Events;

namespace TrackRec.Streaming.Inputs;

/// <summary>
/// Generates a plausible, fully reproducible behaviour stream (catalog, sessions of impressions, clicks that
/// depend on latent taste, comments) so the pipeline can be demoed and tested without real data.
/// </summary>
public static class StreamSimulator
{
    /// <summary>How many named categories exist (the upper bound of <see cref="SimulatorOptions.Categories"/>).</summary>
    public static int MaxCategories => SimulatedCategory.All.Count;

    private static readonly string[] Surfaces = ["home", "home", "search", "related", "trending"];

    /// <summary>Generates the stream for <paramref name="options"/>; the same options always give the same stream.</summary>
    public static EventStream Generate(SimulatorOptions options)
    {
        var world = World.Build(options);
        var rng = world.Random;
        var seed = options.Seed.ToString(CultureInfo.InvariantCulture);
        var events = new List<BehaviourEvent>(options.Users * options.ImpressionsPerUser * 2);
        long nextEvent = 0, nextImpression = 0;
        string EventId() => $"sim-{seed}-{++nextEvent}";

        foreach (var user in world.Users)
        {
            // Users start at different times so the merged stream interleaves them, as real traffic does.
            var sessionStart = options.Start + Milliseconds(rng.NextDouble() * options.MeanSessionGap.TotalMilliseconds);
            var shown = 0;
            while (shown < options.ImpressionsPerUser)
            {
                var size = Math.Min(rng.Next(3, 9), options.ImpressionsPerUser - shown);
                var surface = Surfaces[rng.Next(Surfaces.Length)];
                var time = sessionStart;
                for (var position = 0; position < size; position++)
                {
                    var item = world.PickItemFor(user);
                    var impressionId = $"sim-{seed}-imp-{++nextImpression}";
                    events.Add(new Impression(EventId(), user.Profile.UserId, item.Item.ItemId, time, impressionId, position, surface));

                    var taste = user.TasteFor(item);
                    if (rng.NextDouble() < ClickProbability(options, taste))
                    {
                        var clickTime = time + TimeSpan.FromMilliseconds(rng.Next(1_500, 25_000));
                        var carriesId = rng.NextDouble() < options.ClickImpressionIdProbability;
                        events.Add(new Click(EventId(), user.Profile.UserId, item.Item.ItemId, clickTime, carriesId ? impressionId : null));

                        if (rng.NextDouble() < options.CommentProbability)
                        {
                            var commentTime = clickTime + TimeSpan.FromMilliseconds(rng.Next(20_000, 180_000));
                            // Noise keeps sentiment a tendency rather than a rule, as in real reviews.
                            var positive = taste + (rng.NextDouble() - 0.5) > 0;
                            events.Add(new Comment(EventId(), user.Profile.UserId, item.Item.ItemId, commentTime, CommentText(rng, item, positive)));
                        }
                    }

                    time += TimeSpan.FromMilliseconds(rng.Next(2_000, 12_000));
                }

                shown += size;
                var gap = -Math.Log(1 - rng.NextDouble()) * options.MeanSessionGap.TotalMilliseconds;
                sessionStart = time + Milliseconds(gap);
            }
        }

        return new EventStream(world.Items.Select(i => i.Item), events);
    }

    /// <summary>The latent tastes behind <see cref="Generate"/> for the same options (ground truth for checks).</summary>
    public static IReadOnlyList<SimulatedUser> Users(SimulatorOptions options) =>
        World.Build(options).Users.Select(u => u.Profile).ToList().AsReadOnly();

    private static double ClickProbability(SimulatorOptions options, double taste)
    {
        var p = Math.Clamp(options.BaseClickProbability, 1e-6, 1 - 1e-6);
        var logit = Math.Log(p / (1 - p)) + options.TasteSensitivity * taste;
        return 1 / (1 + Math.Exp(-logit));
    }

    private static string CommentText(Random rng, SimItem item, bool positive)
    {
        var category = item.Categories[rng.Next(item.Categories.Count)];
        var aspect = category.Aspects[rng.Next(category.Aspects.Count)];
        string[] templates = positive
            ? ["Loved the {0}.", "Great {0}, would happily watch more like this.", "The {0} really worked for me.", "Really enjoyed the {0}!"]
            : ["The {0} was disappointing.", "Not a fan of the {0}.", "The {0} felt flat to me.", "Couldn't get into the {0}."];
        return string.Format(CultureInfo.InvariantCulture, templates[rng.Next(templates.Length)], aspect);
    }

    // Whole milliseconds keep times exact through epoch-millisecond encodings (Avro, JSON lines).
    private static TimeSpan Milliseconds(double ms) => TimeSpan.FromMilliseconds(Math.Round(ms));

    private static void Check(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Users, 1, nameof(options.Users));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Items, 1, nameof(options.Items));
        // Two liked and one disliked category must be distinct.
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Categories, 3, nameof(options.Categories));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Categories, MaxCategories, nameof(options.Categories));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ImpressionsPerUser, nameof(options.ImpressionsPerUser));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MeanSessionGap, TimeSpan.Zero, nameof(options.MeanSessionGap));
        CheckProbability(options.BaseClickProbability, nameof(options.BaseClickProbability));
        CheckProbability(options.ClickImpressionIdProbability, nameof(options.ClickImpressionIdProbability));
        CheckProbability(options.CommentProbability, nameof(options.CommentProbability));
        if (!double.IsFinite(options.TasteSensitivity))
            throw new ArgumentOutOfRangeException(nameof(options.TasteSensitivity), "must be a finite number");
    }

    private static void CheckProbability(double value, string name)
    {
        if (!(value is >= 0 and <= 1))
            throw new ArgumentOutOfRangeException(name, value, "must be a probability in [0, 1]");
    }

    private sealed record SimItem(CatalogItem Item, IReadOnlyList<SimulatedCategory> Categories);

    private sealed class SimUser(SimulatedUser profile, double[] preference, int[] liked, int disliked, int categoryCount)
    {
        public SimulatedUser Profile { get; } = profile;

        public double[] Preference { get; } = preference;

        /// <summary>Taste in [-1.5, 1]: liked categories count +1, the disliked one -1.5, others by preference.</summary>
        public double TasteFor(SimItem item)
        {
            var sum = 0.0;
            foreach (var category in item.Categories)
            {
                var c = IndexOf(category);
                sum += liked.Contains(c) ? 1.0
                    : c == disliked ? -1.5
                    : Math.Clamp((Preference[c] * categoryCount - 1) * 0.5, -0.5, 0.5);
            }
            return sum / item.Categories.Count;
        }

        private static int IndexOf(SimulatedCategory category)
        {
            for (var i = 0; i < SimulatedCategory.All.Count; i++)
            {
                if (ReferenceEquals(SimulatedCategory.All[i], category))
                    return i;
            }
            throw new InvalidOperationException($"unknown category {category.Name}");
        }
    }

    /// <summary>Catalog and users, built first from the seed so <see cref="Users"/> can rebuild them alone.</summary>
    private sealed class World
    {
        private readonly List<SimItem>[] _byCategory;

        private World(Random random, List<SimItem> items, List<SimUser> users, List<SimItem>[] byCategory)
        {
            Random = random;
            Items = items;
            Users = users;
            _byCategory = byCategory;
        }

        public Random Random { get; }

        public List<SimItem> Items { get; }

        public List<SimUser> Users { get; }

        public static World Build(SimulatorOptions options)
        {
            Check(options);
            var rng = new Random(options.Seed);
            var k = options.Categories;
            var categories = SimulatedCategory.All.Take(k).ToArray();
            var byCategory = Enumerable.Range(0, k).Select(_ => new List<SimItem>()).ToArray();

            var items = new List<SimItem>(options.Items);
            for (var n = 1; n <= options.Items; n++)
            {
                var count = Math.Min(k, rng.Next(1, 4));
                var picked = new List<int>(count);
                while (picked.Count < count)
                {
                    var c = rng.Next(k);
                    if (!picked.Contains(c))
                        picked.Add(c);
                }

                var primary = categories[picked[0]];
                var title = $"{primary.Adjectives[rng.Next(primary.Adjectives.Count)]} {primary.Nouns[rng.Next(primary.Nouns.Count)]} #{n}";
                var itemCategories = picked.Select(c => categories[c]).ToList();
                var aspects = itemCategories.Select(c => c.Aspects[rng.Next(c.Aspects.Count)]);
                var text = $"A {string.Join(" / ", itemCategories.Select(c => c.Name))} title known for its {string.Join(" and ", aspects)}.";
                var item = new SimItem(
                    new CatalogItem($"item-{n:D4}", title, itemCategories.Select(c => c.Name).ToList().AsReadOnly(), text, options.Start),
                    itemCategories.AsReadOnly());
                items.Add(item);
                foreach (var c in picked)
                    byCategory[c].Add(item);
            }

            var users = new List<SimUser>(options.Users);
            for (var n = 1; n <= options.Users; n++)
            {
                // Squared exponentials: a cheap Dirichlet(<1)-like draw, peaked on a few categories.
                var weight = new double[k];
                for (var c = 0; c < k; c++)
                {
                    var e = -Math.Log(1 - rng.NextDouble());
                    weight[c] = e * e;
                }

                var liked = new int[2];
                liked[0] = rng.Next(k);
                do liked[1] = rng.Next(k); while (liked[1] == liked[0]);
                int disliked;
                do disliked = rng.Next(k); while (liked.Contains(disliked));

                var total = weight.Sum();
                foreach (var c in liked)
                    weight[c] += total / 2;
                weight[disliked] = 0;
                total = weight.Sum();
                for (var c = 0; c < k; c++)
                    weight[c] /= total;

                var profile = new SimulatedUser(
                    $"user-{n:D4}",
                    liked.Select(c => categories[c].Name).ToList().AsReadOnly(),
                    categories[disliked].Name,
                    Enumerable.Range(0, k).ToDictionary(c => categories[c].Name, c => weight[c]).AsReadOnly());
                users.Add(new SimUser(profile, weight, liked, disliked, k));
            }

            return new World(rng, items, users, byCategory);
        }

        /// <summary>
        /// Mostly what the user likes (a recommender at work), otherwise anything, so that disliked items
        /// are shown often enough to be measurable.
        /// </summary>
        public SimItem PickItemFor(SimUser user)
        {
            if (Random.NextDouble() < 0.6)
            {
                var c = Sample(user.Preference);
                if (_byCategory[c].Count > 0)
                    return _byCategory[c][Random.Next(_byCategory[c].Count)];
            }
            return Items[Random.Next(Items.Count)];
        }

        private int Sample(double[] distribution)
        {
            var u = Random.NextDouble();
            for (var c = 0; c < distribution.Length; c++)
            {
                u -= distribution[c];
                if (u < 0)
                    return c;
            }
            return distribution.Length - 1;
        }
    }
}
