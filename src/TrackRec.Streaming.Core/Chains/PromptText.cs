using System.Globalization;
using System.Text;

namespace TrackRec.Streaming.Chains;

/// <summary>
/// The only way user-written text enters a prompt: length-limited and fenced, so a model reads it as
/// quoted data and a comment cannot close the fence or pose as instructions.
/// </summary>
/// <remarks>
/// A model reads text more leniently than an ordinal string search: it sees a full-width <c>＜</c> as
/// <c>&lt;</c>, skips zero-width and bidi controls, and takes a line separator as a new line. So the body is
/// first folded the way a model would read it (full-width forms as ASCII, format characters dropped,
/// separators as spaces; by hand, since the process runs with invariant globalization, where
/// <see cref="string.Normalize()"/> folds nothing), and then no angle bracket or look-alike is left in it:
/// no fence, <c>&lt;summary&gt;</c>, role tag (<c>&lt;|im_start|&gt;</c>) or <c>&lt;s&gt;</c> can be formed
/// inside, however it is spelled.
/// </remarks>
public static class PromptText
{
    /// <summary>The fence that opens and closes quoted user text.</summary>
    public const string Fence = "<<<user_text>>>";

    /// <summary>The fence that closes quoted user text.</summary>
    public const string FenceEnd = "<<</user_text>>>";

    /// <summary>
    /// Returns the text fenced, cut to <paramref name="maxChars"/> characters, on one line, with
    /// control and format characters and every angle bracket neutralised.
    /// </summary>
    public static string Quote(string? text, int maxChars = 280) => Fenced(text, maxChars, keepNewlines: false);

    /// <summary>
    /// Like <see cref="Quote"/>, keeping line breaks: for longer text that is data to the reader, such as a
    /// model-written summary or critique that may itself quote users.
    /// </summary>
    public static string QuoteBlock(string? text, int maxChars) => Fenced(text, maxChars, keepNewlines: true);

    private static string Fenced(string? text, int maxChars, bool keepNewlines)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        var source = text ?? string.Empty;
        var clean = new StringBuilder(Math.Min(source.Length, maxChars + 1));
        var cut = false;
        for (var i = 0; i < source.Length; i++)
        {
            var ch = Fold(source[i]);
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.Format)
                continue; // zero-width and bidi controls: invisible to a reader, so they must not hide a marker
            var pair = char.IsHighSurrogate(ch) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]);
            if (clean.Length + (pair ? 2 : 1) > maxChars)
            {
                cut = true;
                break;
            }
            if (pair)
            {
                clean.Append(ch).Append(source[++i]);
                continue;
            }
            clean.Append(ch switch
            {
                '\n' when keepNewlines => '\n',
                _ when IsOpening(ch) => '‹',
                _ when IsClosing(ch) => '›',
                _ when char.IsSurrogate(ch) => '\uFFFD', // a lone half of a pair: not text
                _ when char.IsControl(ch) || category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => ' ',
                _ => ch,
            });
        }
        if (cut)
            clean.Append('…');
        return $"{Fence}{clean}{FenceEnd}";
    }

    // Full-width ASCII (U+FF01..U+FF5E) and the small-form brackets read as their ASCII originals.
    private static char Fold(char ch) => ch switch
    {
        >= '\uFF01' and <= '\uFF5E' => (char)(ch - 0xFEE0),
        '\uFE64' => '<',
        '\uFE65' => '>',
        _ => ch,
    };

    private static bool IsOpening(char ch) => ch is '<' or '\u2039' or '\u2329' or '\u3008' or '\u27E8' or '\u276C' or '\u276E' or '\u2770' or '\u02C2' or '\u1438' or '\u226A' or '\u00AB';

    private static bool IsClosing(char ch) => ch is '>' or '\u203A' or '\u232A' or '\u3009' or '\u27E9' or '\u276D' or '\u276F' or '\u2771' or '\u02C3' or '\u1433' or '\u226B' or '\u00BB';
}
