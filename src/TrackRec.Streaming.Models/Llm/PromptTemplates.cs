using System.Globalization;
using System.Text.RegularExpressions;

namespace TrackRec.Streaming.Models.Llm;

/// <summary>
/// The prompt templates of the LLM roles, from versioned files (<c>{role}.v{N}.txt</c>, the highest N of each
/// role wins): embedded in this assembly from <c>Prompts/</c>, or, per role, from an override directory. Prompts
/// live in files rather than string literals so a prompt change is reviewed as one diff and shows in the
/// roles' versions. Loading checks each template's placeholders against what its role supplies, so a broken
/// override fails at startup naming the file, not mid-stream.
/// </summary>
public sealed partial class PromptTemplates
{
    /// <summary>Placeholders a role supplies and the ones its template must use.</summary>
    private static readonly Dictionary<string, (string[] Supplied, string[] Required)> Roles = new(StringComparer.Ordinal)
    {
        ["generator"] = (["history", "history_count"], ["history"]),
        ["refine"] = (["history", "history_count", "summary", "critique", "failed_claims"], ["history", "summary", "critique"]),
        ["reflect"] = (["history", "history_count", "summary"], ["history", "summary"]),
        ["validator"] = (["summary", "item"], ["summary", "item"]),
    };

    private const string ResourcePrefix = "prompts/";

    private PromptTemplates(IReadOnlyDictionary<string, PromptTemplate> templates)
    {
        Generator = templates["generator"];
        Refine = templates["refine"];
        Reflect = templates["reflect"];
        Validator = templates["validator"];
    }

    /// <summary>TrackRec's generator G: summarise the user's preference within 200 words from the history.</summary>
    public PromptTemplate Generator { get; }

    /// <summary>R4ec's refinement: rewrite a rejected summary guided by the critique.</summary>
    public PromptTemplate Refine { get; }

    /// <summary>R4ec's reflection (judge): is this preference reasonable given the history?</summary>
    public PromptTemplate Reflect { get; }

    /// <summary>TrackRec's validator V: the CTR question with the chain as &lt;summary&gt;, answered Yes/No.</summary>
    public PromptTemplate Validator { get; }

    /// <summary>The embedded templates, each role's file replaced by the highest version found in <paramref name="directory"/> when given.</summary>
    /// <exception cref="InvalidOperationException">A template is missing, unreadable or does not fit its role; the message names the file.</exception>
    public static PromptTemplates Load(string? directory = null)
    {
        var files = new Dictionary<string, (int Version, string Name, Func<string> Read)>(StringComparer.Ordinal);
        var assembly = typeof(PromptTemplates).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var res = resource;
            Offer(files, res[ResourcePrefix.Length..], () =>
            {
                using var stream = assembly.GetManifestResourceStream(res) ?? throw new InvalidOperationException($"embedded prompt {res} cannot be read");
                using var reader = new StreamReader(stream);
                return reader.ReadToEnd();
            });
        }
        if (!string.IsNullOrWhiteSpace(directory))
        {
            if (!Directory.Exists(directory))
                throw new InvalidOperationException($"prompt template directory {directory} does not exist");
            // An override directory's file wins over the embedded one of its role, whatever the version numbers.
            var overrides = new Dictionary<string, (int Version, string Name, Func<string> Read)>(StringComparer.Ordinal);
            var root = RealPath(directory);
            foreach (var path in Directory.EnumerateFiles(directory, "*.txt"))
            {
                var file = InsideOrThrow(root, path);
                Offer(overrides, Path.GetFileName(path), () => File.ReadAllText(file));
            }
            foreach (var (role, entry) in overrides)
                files[role] = entry;
        }

        var templates = new Dictionary<string, PromptTemplate>(StringComparer.Ordinal);
        foreach (var (role, (supplied, required)) in Roles)
        {
            if (!files.TryGetValue(role, out var file))
                throw new InvalidOperationException($"no prompt template for {role} ({role}.v1.txt)");
            PromptTemplate template;
            try
            {
                template = PromptTemplate.Parse(file.Name, file.Read());
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"prompt template {file.Name}.txt: {ex.Message}", ex);
            }
            var unknown = template.Placeholders.Except(supplied).ToList();
            if (unknown.Count > 0)
                throw new InvalidOperationException($"prompt template {file.Name}.txt uses {string.Join(", ", unknown.Select(u => "{{" + u + "}}"))}, which the {role} role does not supply (it supplies {string.Join(", ", supplied)})");
            var missing = required.Except(template.Placeholders).ToList();
            if (missing.Count > 0)
                throw new InvalidOperationException($"prompt template {file.Name}.txt must use {string.Join(", ", missing.Select(m => "{{" + m + "}}"))}");
            templates[role] = template;
        }
        return new PromptTemplates(templates);
    }

    // The override directory is read-only input: a template is read only from a file that really lies inside
    // it, so a symlink (or a link chain) pointing elsewhere cannot make the worker read, say, a secret file
    // into a prompt that is sent to a remote endpoint.
    private static string InsideOrThrow(string root, string path)
    {
        var target = RealPath(path);
        var relative = Path.GetRelativePath(root, target);
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
            throw new InvalidOperationException($"prompt template {Path.GetFileName(path)} in {root} resolves to {target}, outside the template directory; refused");
        return target;
    }

    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        return info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
    }

    private static void Offer(Dictionary<string, (int Version, string Name, Func<string> Read)> files, string fileName, Func<string> read)
    {
        var match = FileName().Match(fileName);
        if (!match.Success || !int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            return;
        var role = match.Groups[1].Value;
        if (!files.TryGetValue(role, out var known) || version > known.Version)
            files[role] = (version, Path.GetFileNameWithoutExtension(fileName), read);
    }

    [GeneratedRegex(@"^(generator|refine|reflect|validator)\.v([0-9]{1,6})\.txt$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}
