using System.Globalization;
using System.Text;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Tests.Llm;

/// <summary>
/// An in-test "model" that reads a prompt as leniently as a real one (full-width and small-form characters as ASCII, zero-width
/// and bidi characters invisible, line separators as new lines), respects the fences, and obeys every
/// instruction it sees OUTSIDE them: it reports each canary (PWNED-n) found there.
/// </summary>
internal static class ObedientModel
{
    /// <summary>The canaries the model would obey in <paramref name="prompt"/>.</summary>
    public static IReadOnlyList<string> Obeyed(string prompt) =>
        Outside(Read(prompt)).SelectMany(Canaries).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The bodies between fences, as the model reads them.</summary>
    public static IReadOnlyList<string> Fenced(string prompt) => Split(Read(prompt)).Inside;

    /// <summary>The prompt as the model reads it.</summary>
    public static string Read(string prompt)
    {
        var folded = new StringBuilder(prompt.Length);
        foreach (var c in prompt)
        {
            // What NFKC would fold (the test process runs with invariant globalization, where Normalize folds nothing).
            var ch = c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\uFE64' => '<',
                '\uFE65' => '>',
                _ => c,
            };
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.Format)
                continue;
            folded.Append(category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator ? '\n' : ch);
        }
        return folded.ToString();
    }

    private static IEnumerable<string> Outside(string text) => Split(text).Outside;

    // A fence opens at its marker and closes at the first closing marker after it, the way a reader pairs them.
    private static (List<string> Outside, List<string> Inside) Split(string text)
    {
        var outside = new List<string>();
        var inside = new List<string>();
        var at = 0;
        while (at < text.Length)
        {
            var open = text.IndexOf(PromptText.Fence, at, StringComparison.Ordinal);
            if (open < 0)
                break;
            outside.Add(text[at..open]);
            var bodyStart = open + PromptText.Fence.Length;
            var close = text.IndexOf(PromptText.FenceEnd, bodyStart, StringComparison.Ordinal);
            if (close < 0)
            {
                inside.Add(text[bodyStart..]);
                return (outside, inside);
            }
            inside.Add(text[bodyStart..close]);
            at = close + PromptText.FenceEnd.Length;
        }
        outside.Add(text[Math.Min(at, text.Length)..]);
        return (outside, inside);
    }

    private static IEnumerable<string> Canaries(string text)
    {
        for (var i = text.IndexOf("PWNED-", StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf("PWNED-", i + 1, StringComparison.OrdinalIgnoreCase))
            yield return new string(text[i..].TakeWhile(c => c != ' ' && c != '.' && c != '<').ToArray());
    }
}
