using System.Text;
using System.Text.RegularExpressions;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// Reads the reflection model's strict answer (<c>VERDICT: ACCEPT|REJECT</c>, <c>CRITIQUE: ...</c>,
/// <c>FAILED: claim; claim</c>), tolerating the decoration models add (markdown emphasis, bullets, case,
/// a critique over several lines). A missing or unknown verdict, or a rejection without a critique
/// (refinement would have nothing to go on), is malformed: a verdict is never guessed.
/// </summary>
internal static partial class ReflectionParser
{
    /// <summary>The reflection, or null when the answer does not follow the format.</summary>
    public static Reflection? Parse(string? answer)
    {
        if (string.IsNullOrWhiteSpace(answer))
            return null;
        var fields = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        StringBuilder? current = null;
        foreach (var line in StripThinking(answer).Split('\n'))
        {
            var match = FieldLine().Match(line);
            if (match.Success)
            {
                var key = match.Groups[1].Value.ToUpperInvariant();
                if (fields.ContainsKey(key))
                    return null; // two verdicts: ambiguous
                fields[key] = current = new StringBuilder(match.Groups[2].Value.Trim());
            }
            else if (current is not null && line.Trim().Length > 0)
            {
                current.Append(' ').Append(line.Trim());
            }
        }
        if (!fields.TryGetValue("VERDICT", out var verdictText))
            return null;
        var verdict = Word(verdictText.ToString()).ToUpperInvariant();
        var accepted = verdict switch
        {
            "ACCEPT" or "ACCEPTED" => true,
            "REJECT" or "REJECTED" => false,
            _ => (bool?)null,
        };
        if (accepted is null)
            return null;
        var critique = fields.TryGetValue("CRITIQUE", out var c) ? Clean(c.ToString()) : string.Empty;
        if (IsNone(critique))
            critique = string.Empty;
        var failed = fields.TryGetValue("FAILED", out var f) && !IsNone(Clean(f.ToString()))
            ? Clean(f.ToString()).Split(';').Select(s => Clean(s).Trim('"', '\'', '“', '”').Trim()).Where(s => s.Length > 0 && !IsNone(s)).ToList()
            : [];
        if (accepted.Value)
            return critique.Length > 0 ? new Reflection(true, critique, []) : Reflection.Accept();
        if (critique.Length == 0)
            return null;
        return new Reflection(false, critique, failed);
    }

    private static string StripThinking(string answer)
    {
        var text = answer.Replace("\r\n", "\n", StringComparison.Ordinal);
        var end = text.IndexOf("</think>", StringComparison.OrdinalIgnoreCase);
        return end >= 0 ? text[(end + "</think>".Length)..] : text;
    }

    // Markdown emphasis and surrounding whitespace off; sentence punctuation stays.
    private static string Clean(string text) => text.Trim().Trim('*', '_', '`').Trim();

    // A one-word field (the verdict): quotes and trailing punctuation off as well.
    private static string Word(string text) => Clean(text).Trim('"', '\'', '.', '!').Trim();

    private static bool IsNone(string text) => Word(text) is var w && (w.Length == 0 || w.Equals("none", StringComparison.OrdinalIgnoreCase) || w.Equals("n/a", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"^[\s>*_#\-]*(VERDICT|CRITIQUE|FAILED)[\s*_]*:[\s*_]*(.*)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FieldLine();
}
