using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Training.Encoder;

/// <summary>
/// Builds a BERT-style WordPiece vocabulary (vocab.txt order) from the training texts: the special tokens,
/// then the most frequent words, then every character seen both as a word start and as a "##" piece, so any
/// word the vocabulary lacks still splits into known pieces instead of [UNK]. Words are found by the very
/// basic tokenization <see cref="WordPieceTextTokenizer"/> serves with, so a frequent word becomes one id.
/// </summary>
public static class VocabularyBuilder
{
    /// <summary>The special tokens, in the order (and so with the ids 0-4) the vocabulary starts with.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    /// <summary>
    /// The vocabulary: special tokens, words seen at least <paramref name="minCount"/> times (at most
    /// <paramref name="maxWords"/>, most frequent first, ties in ordinal order), then single characters and
    /// "##" characters. Deterministic for the same texts in any order.
    /// </summary>
    public static IReadOnlyList<string> Build(IEnumerable<string> texts, int maxWords = 8000, int minCount = 2, bool lowerCase = true)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWords);
        ArgumentOutOfRangeException.ThrowIfLessThan(minCount, 1);
        var splitter = WordPieceTextTokenizer.FromVocabulary(SpecialTokens, lowerCase);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var characters = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var word in splitter.Words(text ?? string.Empty))
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
                foreach (var rune in word.EnumerateRunes())
                    characters.Add(rune.ToString());
            }

        var vocabulary = new List<string>(SpecialTokens);
        var seen = new HashSet<string>(SpecialTokens, StringComparer.Ordinal);
        var words = counts.Where(kv => kv.Value >= minCount)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maxWords).Select(kv => kv.Key);
        foreach (var token in words.Concat(characters).Concat(characters.Select(c => "##" + c)))
            if (seen.Add(token))
                vocabulary.Add(token);
        return vocabulary;
    }
}
