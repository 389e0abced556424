using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// One versioned prompt template, parsed from a text file: leading <c>#</c> comment lines, then an
/// <c>@system</c> and an <c>@user</c> section with <c>{{name}}</c> placeholders. Its <see cref="Version"/>
/// names the file and hashes its text, so editing a template changes the version every chain and feature
/// carries even if nobody bumps the file name.
/// </summary>
public sealed partial class PromptTemplate
{
    private PromptTemplate(string name, string version, string system, string user, IReadOnlySet<string> placeholders)
    {
        Name = name;
        Version = version;
        System = system;
        User = user;
        Placeholders = placeholders;
    }

    /// <summary>File name without extension, e.g. generator.v1.</summary>
    public string Name { get; }

    /// <summary>The name and the first 8 hex digits of the SHA-256 of the text, e.g. generator.v1+3fa2c1d0.</summary>
    public string Version { get; }

    /// <summary>The system message, placeholders unfilled.</summary>
    public string System { get; }

    /// <summary>The user message, placeholders unfilled.</summary>
    public string User { get; }

    /// <summary>The placeholder names the template uses.</summary>
    public IReadOnlySet<string> Placeholders { get; }

    /// <summary>Parses a template's text; <paramref name="name"/> (e.g. generator.v1) is part of its version.</summary>
    /// <exception cref="FormatException">The text lacks an @user section or has text outside the sections.</exception>
    public static PromptTemplate Parse(string name, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(text);
        var normalised = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var sections = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        StringBuilder? current = null;
        foreach (var line in normalised.Split('\n'))
        {
            var header = line.Trim();
            if (header is "@system" or "@user")
            {
                if (sections.ContainsKey(header))
                    throw new FormatException($"prompt template {name}: {header} appears twice");
                sections[header] = current = new StringBuilder();
                continue;
            }
            if (current is null)
            {
                if (header.Length > 0 && !header.StartsWith('#'))
                    throw new FormatException($"prompt template {name}: text before the @system/@user sections (comment lines start with #)");
                continue;
            }
            current.Append(line).Append('\n');
        }
        if (!sections.TryGetValue("@user", out var user) || user.ToString().Trim().Length == 0)
            throw new FormatException($"prompt template {name}: no @user section");
        var system = sections.TryGetValue("@system", out var s) ? s.ToString().Trim() : string.Empty;
        var userText = user.ToString().Trim();
        var placeholders = Placeholder().Matches(system + "\n" + userText).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)).AsSpan(0, 4));
        return new PromptTemplate(name, $"{name}+{hash}", system, userText, placeholders);
    }

    /// <summary>
    /// Fills the placeholders in one pass: a value is never scanned for placeholders itself, so user text that
    /// contains <c>{{critique}}</c> stays text.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The template uses a placeholder <paramref name="values"/> lacks.</exception>
    public ChatPrompt Render(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        string Fill(string text) => Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new KeyNotFoundException($"prompt template {Name} uses {{{{{m.Groups[1].Value}}}}}, which was not supplied"));
        return new ChatPrompt(Fill(System), Fill(User));
    }

    [GeneratedRegex(@"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
