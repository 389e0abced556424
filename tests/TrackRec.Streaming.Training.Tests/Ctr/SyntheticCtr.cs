using TrackRec.Streaming.Training.Ctr;

namespace TrackRec.Streaming.Tests.Ctr;

/// <summary>
/// Small synthetic CTR tasks: items with one category each, users whose histories lean to two favourite
/// categories, random targets. The label is what the test says it is; ids carry no signal of their own.
/// </summary>
internal static class SyntheticCtr
{
    public const int Items = 60;
    public const int Categories = 6;
    public const int Users = 40;
    public const int HistoryLength = 10;

    public static int CategoryOf(int item) => item % Categories;

    /// <summary>Catalog index i + 1 for item i, each with its one category.</summary>
    public static CtrModelShape Shape() => new(Users + 2, Items + 2, Categories,
        [[], .. Enumerable.Range(0, Items).Select(i => (IReadOnlyList<int>)[CategoryOf(i)])], HistoryLength)
    { HeadHidden = [32, 16] };

    /// <summary>
    /// <paramref name="count"/> examples; <paramref name="label"/> gets (target category, history categories, a
    /// per-example random number) and decides the click. <paramref name="signal"/>, when given, fills a one-wide
    /// chain vector from the label and the random draw.
    /// </summary>
    public static CtrDataset Make(int count, int seed, Func<int, int[], Random, bool> label, Func<bool, Random, float>? signal = null)
    {
        var random = new Random(seed);
        var users = new long[count];
        var items = new long[count];
        var history = new long[count * HistoryLength];
        var labels = new float[count];
        var vector = new float[count];
        for (var r = 0; r < count; r++)
        {
            var user = random.Next(Users);
            var favourites = new[] { user % Categories, (user / Categories + user + 1) % Categories };
            var cats = new int[HistoryLength];
            for (var j = 0; j < HistoryLength; j++)
            {
                var category = random.NextDouble() < 0.8 ? favourites[random.Next(2)] : random.Next(Categories);
                var item = category + Categories * random.Next(Items / Categories);
                history[r * HistoryLength + j] = item + 2;
                cats[j] = category;
            }
            var target = random.Next(Items);
            users[r] = user + 2;
            items[r] = target + 2;
            var clicked = label(CategoryOf(target), cats, random);
            labels[r] = clicked ? 1 : 0;
            if (signal is not null)
                vector[r] = signal(clicked, random);
        }
        var catalog = items.Select(i => i - 1).ToArray();
        var historyCatalog = history.Select(i => i - 1).ToArray();
        return signal is null
            ? new CtrDataset(HistoryLength, users, items, catalog, history, historyCatalog, labels)
            : new CtrDataset(HistoryLength, users, items, catalog, history, historyCatalog, labels, [vector], [1]);
    }

    /// <summary>A click the ids and history know nothing about: a coin flip with p = 0.4.</summary>
    public static bool Coin(int target, int[] history, Random random) => random.NextDouble() < 0.4;

    /// <summary>A chain signal that is a noisy copy of the click (label ± 0.8 uniform noise).</summary>
    public static float NoisyCopy(bool clicked, Random random) => (clicked ? 1f : 0f) + (float)(random.NextDouble() * 1.6 - 0.8);

    /// <summary>Clicked when the target's category is at least 3 of the 10 history items (5% of labels flipped).</summary>
    public static bool Overlap(int target, int[] history, Random random)
    {
        var clicked = history.Count(c => c == target) >= 3;
        return random.NextDouble() < 0.05 ? !clicked : clicked;
    }
}
