using System.Text;
using Microsoft.ML.Tokenizers;

namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// Turns texts into BERT inputs with Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>: basic
/// tokenization (clean-up, optional lower-casing and accent stripping, splitting on whitespace and
/// punctuation), WordPiece, then [CLS] text [SEP], cut to a maximum length and padded per batch. One class
/// for a user-supplied vocab.txt and our own, and for training and serving, so the ids the encoder was
/// trained on are the ids it is served with. Holds no per-call state, so one instance serves all threads.
/// </summary>
public sealed class WordPieceTextTokenizer
{
    private readonly BertTokenizer _bert;

    private WordPieceTextTokenizer(BertTokenizer bert) => _bert = bert;

    /// <summary>Id of [PAD], written after each row's tokens.</summary>
    public int PaddingId => _bert.PaddingTokenId;

    /// <summary>Id of [CLS], the first token of every row.</summary>
    public int ClassificationId => _bert.ClassificationTokenId;

    /// <summary>Id of [SEP], the last token of every row.</summary>
    public int SeparatorId => _bert.SeparatorTokenId;

    /// <summary>Loads a vocab.txt (one token per line, the line number is its id).</summary>
    public static WordPieceTextTokenizer Load(string vocabPath, bool lowerCase = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vocabPath);
        return new WordPieceTextTokenizer(BertTokenizer.Create(vocabPath, Options(lowerCase)));
    }

    /// <summary>Builds a tokenizer from vocabulary tokens in id order, as they would be written to vocab.txt.</summary>
    public static WordPieceTextTokenizer FromVocabulary(IEnumerable<string> tokens, bool lowerCase = true)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', tokens) + "\n"));
        return new WordPieceTextTokenizer(BertTokenizer.Create(stream, Options(lowerCase)));
    }

    /// <summary>
    /// The words basic tokenization splits <paramref name="text"/> into, before WordPiece: what a
    /// vocabulary must hold for each word to become a single token.
    /// </summary>
    public IEnumerable<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = _bert.Normalizer?.Normalize(text) ?? text;
        if (_bert.PreTokenizer is null)
            return normalized.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return _bert.PreTokenizer.PreTokenize(normalized).Select(span => normalized.Substring(span.Offset, span.Length)).ToList();
    }

    /// <summary>The ids of one text: [CLS], at most <paramref name="maxSequenceLength"/> - 2 WordPiece tokens, [SEP].</summary>
    public int[] TokenIds(string text, int maxSequenceLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequenceLength, 3);
        var body = _bert.EncodeToIds(text, maxSequenceLength - 2, addSpecialTokens: false, out _, out _);
        var ids = new int[body.Count + 2];
        ids[0] = ClassificationId;
        for (var i = 0; i < body.Count; i++)
            ids[i + 1] = body[i];
        ids[^1] = SeparatorId;
        return ids;
    }

    /// <summary>Tokenizes <paramref name="count"/> texts from <paramref name="start"/> into one padded batch.</summary>
    public TokenizedBatch Tokenize(IReadOnlyList<string> texts, int start, int count, int maxSequenceLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, texts.Count);
        var rows = new int[count][];
        for (var r = 0; r < count; r++)
            rows[r] = TokenIds(texts[start + r] ?? throw new ArgumentException($"text {start + r} is null", nameof(texts)), maxSequenceLength);
        return Pad(rows);
    }

    /// <summary>Pads already tokenized rows (from <see cref="TokenIds"/>) into one batch, as wide as the longest row.</summary>
    public TokenizedBatch Pad(IReadOnlyList<int[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var count = rows.Count;
        var columns = count == 0 ? 0 : rows.Max(r => r.Length);
        var ids = new long[count * columns];
        var mask = new long[count * columns];
        Array.Fill(ids, PaddingId);
        for (var r = 0; r < count; r++)
            for (var c = 0; c < rows[r].Length; c++)
            {
                ids[r * columns + c] = rows[r][c];
                mask[r * columns + c] = 1;
            }
        return new TokenizedBatch(ids, mask, count, columns);
    }

    /// <summary>Tokenizes all <paramref name="texts"/> into one padded batch.</summary>
    public TokenizedBatch Tokenize(IReadOnlyList<string> texts, int maxSequenceLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Tokenize(texts, 0, texts.Count, maxSequenceLength);
    }

    private static BertOptions Options(bool lowerCase) => new()
    {
        LowerCaseBeforeTokenization = lowerCase,
        // Accent stripping goes with lower-casing in uncased BERT vocabularies (BGE, MiniLM); cased ones keep accents.
        RemoveNonSpacingMarks = lowerCase,
    };
}
