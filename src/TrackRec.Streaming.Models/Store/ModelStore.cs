using System.Text.Json;

namespace TrackRec.Streaming.Models.Store;

/// <summary>
/// The model directory: one folder per role, one folder per version below it holding card.json and the
/// model's files, and a CURRENT file per role naming the version to serve. A version's files are written
/// into a temporary folder that is renamed into place, and CURRENT is replaced by rename, so a reader
/// never sees half a model.
/// </summary>
public sealed class ModelStore
{
    private const string CardFile = "card.json";
    private const string CurrentFile = "CURRENT";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Opens (without creating) the model directory at <paramref name="root"/>.</summary>
    public ModelStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    /// <summary>Absolute path of the model directory.</summary>
    public string Root { get; }

    /// <summary>The version of <paramref name="name"/> to serve, or null when none was published.</summary>
    public ModelCard? Current(string name)
    {
        var pointer = Path.Combine(Root, name, CurrentFile);
        if (!File.Exists(pointer))
            return null;
        var version = File.ReadAllText(pointer).Trim();
        return Load(name, version);
    }

    /// <summary>Reads the card of one version.</summary>
    public ModelCard Load(string name, string version)
    {
        var path = Path.Combine(DirectoryOf(name, version), CardFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"model {name} version {version} has no {CardFile} in {Path.GetDirectoryName(path)}", path);
        var card = JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} is empty");
        if (card.Name != name || card.Version != version)
            throw new InvalidDataException($"{path} describes {card.Name} {card.Version}, expected {name} {version}");
        return card;
    }

    /// <summary>Folder holding a version's files.</summary>
    public string DirectoryOf(string name, string version) => Path.Combine(Root, name, version);

    /// <summary>Path of one file of a version.</summary>
    public string PathOf(ModelCard card, string file)
    {
        ArgumentNullException.ThrowIfNull(card);
        return Path.Combine(DirectoryOf(card.Name, card.Version), file);
    }

    /// <summary>The published versions of <paramref name="name"/> (folders with a card), oldest name first.</summary>
    public IReadOnlyList<string> Versions(string name)
    {
        var dir = Path.Combine(Root, name);
        if (!Directory.Exists(dir))
            return [];
        return Directory.EnumerateDirectories(dir)
            .Where(d => File.Exists(Path.Combine(d, CardFile)))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The next unused version string for <paramref name="name"/> ("name-v1", "name-v2", ...).</summary>
    public string NextVersion(string name)
    {
        var dir = Path.Combine(Root, name);
        var highest = 0;
        if (Directory.Exists(dir))
        {
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                var leaf = Path.GetFileName(sub);
                if (leaf.StartsWith(name + "-v", StringComparison.Ordinal) && int.TryParse(leaf.AsSpan(name.Length + 2), out var n))
                    highest = Math.Max(highest, n);
            }
        }
        return $"{name}-v{highest + 1}";
    }

    /// <summary>
    /// Publishes a version: <paramref name="writeFiles"/> writes the model's files into the folder it is
    /// given; the card is added, the folder renamed into place, and CURRENT pointed at it.
    /// </summary>
    public ModelCard Publish(ModelCard card, Action<string> writeFiles)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(writeFiles);
        var final = DirectoryOf(card.Name, card.Version);
        if (Directory.Exists(final))
            throw new IOException($"model {card.Name} version {card.Version} already exists at {final}");
        var staging = Path.Combine(Root, card.Name, $".staging-{card.Version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            writeFiles(staging);
            var files = Directory.EnumerateFiles(staging).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            // A metric that could not be measured (an AUC on one class, a loss on no data) is left out:
            // JSON has no NaN or infinity, and a reader should see "not measured", not a made-up number.
            var metrics = card.Metrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
            var hashes = files.ToDictionary(f => f, f => Sha256Of(Path.Combine(staging, f)), StringComparer.Ordinal);
            var complete = card with { Files = files, Metrics = metrics, Sha256 = hashes };
            File.WriteAllText(Path.Combine(staging, CardFile), JsonSerializer.Serialize(complete, Json));
            Directory.Move(staging, final);
            SetCurrent(card.Name, card.Version);
            return complete;
        }
        catch
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// Checks that every file the card lists is present and, where the card recorded a hash, unchanged since
    /// publish; throws <see cref="ModelIntegrityException"/> naming the first file that is not, so a loader
    /// refuses a tampered or partly copied version and keeps serving the one it has.
    /// </summary>
    public void Verify(ModelCard card)
    {
        ArgumentNullException.ThrowIfNull(card);
        foreach (var file in card.Files)
        {
            var path = PathOf(card, file);
            if (!File.Exists(path))
                throw new ModelIntegrityException($"model {card.Name} version {card.Version} is incomplete: {file} is missing from {DirectoryOf(card.Name, card.Version)}");
            if (card.Sha256.TryGetValue(file, out var expected) && !string.Equals(Sha256Of(path), expected, StringComparison.Ordinal))
                throw new ModelIntegrityException($"model {card.Name} version {card.Version}: {file} does not match the SHA-256 recorded in its card (changed since publish)");
        }
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>Points CURRENT of <paramref name="name"/> at an existing version.</summary>
    public void SetCurrent(string name, string version)
    {
        _ = Load(name, version);
        var pointer = Path.Combine(Root, name, CurrentFile);
        var temp = pointer + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temp, version + "\n");
        File.Move(temp, pointer, overwrite: true);
    }

    /// <summary>Reads a JSON file of a version.</summary>
    public T ReadJson<T>(ModelCard card, string file) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(PathOf(card, file)))
        ?? throw new InvalidDataException($"{PathOf(card, file)} is empty");

    /// <summary>Writes a JSON file into a staging folder given to <see cref="Publish"/>.</summary>
    public static void WriteJson<T>(string directory, string file, T value) =>
        File.WriteAllText(Path.Combine(directory, file), JsonSerializer.Serialize(value, Json));
}
