using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Training.Encoder;

namespace TrackRec.Streaming.Tests.Encoder;

/// <summary>The vocabulary must turn frequent words into single ids under the very tokenizer serving uses, and never need [UNK].</summary>
public sealed class VocabularyBuilderTests
{
    private static readonly string[] Corpus =
    [
        "Likes DRAMA and romance.",
        "Titanic: drama, romance",
        "likes comedy and drama",
        "Romance? comedy! titanic",
        "a xylophone once",
    ];

    [Fact]
    public void Starts_with_the_special_tokens_then_words_by_frequency()
    {
        var vocabulary = VocabularyBuilder.Build(Corpus, minCount: 2);
        Assert.Equal(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], vocabulary.Take(5));
        // drama 3, romance 3, and 2, comedy 2, likes 2, titanic 2: count first, then ordinal.
        Assert.Equal(["drama", "romance", "and", "comedy", "likes", "titanic"], vocabulary.Skip(5).Take(6));
        Assert.Equal(vocabulary.Count, vocabulary.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Known_words_tokenize_to_single_ids_whatever_their_case_and_punctuation()
    {
        var vocabulary = VocabularyBuilder.Build(Corpus, minCount: 2);
        var tokenizer = WordPieceTextTokenizer.FromVocabulary(vocabulary);

        var ids = tokenizer.TokenIds("DRAMA, Titanic", maxSequenceLength: 16);

        int Id(string token) => vocabulary.ToList().IndexOf(token);
        Assert.Equal([Id("[CLS]"), Id("drama"), Id(","), Id("titanic"), Id("[SEP]")], ids);
    }

    [Fact]
    public void Rare_and_unseen_words_split_into_character_pieces_instead_of_unknown()
    {
        var vocabulary = VocabularyBuilder.Build(Corpus, minCount: 2);
        var tokenizer = WordPieceTextTokenizer.FromVocabulary(vocabulary);

        Assert.DoesNotContain("xylophone", vocabulary);
        var ids = tokenizer.TokenIds("xylophone romantic", maxSequenceLength: 64);

        Assert.DoesNotContain(vocabulary.ToList().IndexOf("[UNK]"), ids);
        Assert.Equal("x", vocabulary[ids[1]]);
        Assert.Equal("##y", vocabulary[ids[2]]);
        Assert.Equal(2 + "xylophone".Length + "romantic".Length, ids.Length);
    }

    [Fact]
    public void MaxWords_caps_the_whole_words()
    {
        var vocabulary = VocabularyBuilder.Build(Corpus, maxWords: 2, minCount: 1);
        Assert.Equal(["drama", "romance"], vocabulary.Skip(5).Take(2));
        Assert.DoesNotContain("comedy", vocabulary);
    }
}
