namespace TrackRec.Streaming.Tests.Encoder;

/// <summary>
/// Made-up (chain text, item text) pairs whose link can only be learnt: each genre has its own "taste" words,
/// used in chains, and its own title words, used in item texts, and the two sets share nothing. A chain names
/// a main and a second taste; the item belongs to the main one. An untrained encoder cannot match them (no
/// shared tokens beyond filler), a trained one can, up to other items of the same genre in a group.
/// </summary>
internal static class SyntheticPairs
{
    public const int Genres = 40;

    private static readonly string[] TasteEndings = ["ish", "y", "ful"];
    private static readonly string[] TitleEndings = ["ton", "ville", "stone", "wood", "ford", "berg"];
    private static readonly string[] Consonants = ["b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z"];
    private static readonly string[] Vowels = ["a", "e", "i", "o", "u"];

    public static List<(string Anchor, string Positive)> Make(int count, int seed)
    {
        var random = new Random(seed);
        var pairs = new List<(string, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var main = random.Next(Genres);
            var second = (main + 1 + random.Next(Genres - 1)) % Genres;
            var anchor = $"user likes {Taste(main, random.Next(3))} and {Taste(second, random.Next(3))} stories, mostly {Taste(main, random.Next(3))}.";
            var first = random.Next(TitleEndings.Length);
            var other = (first + 1 + random.Next(TitleEndings.Length - 1)) % TitleEndings.Length;
            pairs.Add((anchor, $"{Capitalised(Title(main, first))} {Title(main, other)}."));
        }
        return pairs;
    }

    private static string Taste(int genre, int k) => Stem(genre, 0) + TasteEndings[k];

    private static string Title(int genre, int k) => Stem(genre, 1) + TitleEndings[k];

    // Two syllables per genre; the offset gives titles stems unrelated to the taste stems.
    private static string Stem(int genre, int offset)
    {
        var g = genre + offset * Genres;
        return Consonants[g % Consonants.Length] + Vowels[g / Consonants.Length % Vowels.Length]
            + Consonants[(g * 5 + 3) % Consonants.Length] + Vowels[(g * 3 + 1) % Vowels.Length];
    }

    private static string Capitalised(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
