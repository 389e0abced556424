using System.Text;

namespace TrackRec.Streaming.Chains;

/// <summary>
/// The only way user-written text enters a prompt: length-limited and fenced, so a model reads it as
/// quoted data and a comment cannot close the fence or pose as instructions.
/// </summary>
public static class PromptText
{
    /// <summary>The fence that opens and closes quoted user text.</summary>
    public const string Fence = "<<<user_text>>>";

    /// <summary>The fence that closes quoted user text.</summary>
    public const string FenceEnd = "<<</user_text>>>";

    /// <summary>
    /// Returns the text fenced, cut to <paramref name="maxChars"/> characters, with control characters
    /// and anything resembling a fence neutralised.
    /// </summary>
    public static string Quote(string? text, int maxChars = 280)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 1);
        var clean = new StringBuilder(Math.Min(text?.Length ?? 0, maxChars));
        foreach (var ch in text ?? string.Empty)
        {
            if (clean.Length == maxChars)
                break;
            clean.Append(char.IsControl(ch) ? ' ' : ch);
        }
        var body = clean.ToString().Replace("<<<", "‹‹‹", StringComparison.Ordinal).Replace(">>>", "›››", StringComparison.Ordinal);
        var truncated = (text?.Length ?? 0) > maxChars ? "…" : string.Empty;
        return $"{Fence}{body}{truncated}{FenceEnd}";
    }
}
