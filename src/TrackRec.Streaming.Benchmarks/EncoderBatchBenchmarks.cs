using BenchmarkDotNet.Attributes;
using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Benchmarks;

/// <summary>
/// The slow lane's largest cost: MiniLM on a generation's prompt. Today each generation encodes its own texts; this
/// measures what encoding eight prompts in one session call (as a batcher across generations would) saves against
/// one call per prompt (the baseline), and <see cref="Setup"/> prints how far the batched vectors differ from the
/// single ones, since a feature's embedding should not depend on which generations ran beside it.
/// </summary>
[MemoryDiagnoser]
public class EncoderBatchBenchmarks
{
    private const int Prompts = 8;
    private OnnxTextEncoder _encoder = null!;
    private string[] _texts = null!;

    /// <summary>Most tokens per prompt: MiniLM's own 128, and half of it (what a shorter prompt window would save).</summary>
    [Params(128, 64)]
    public int Tokens { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var files = MiniLmEncoderFiles.Extract(MiniLmEncoderFiles.DefaultDirectory);
        files.MaxSequenceLength = Tokens;
        _encoder = new OnnxTextEncoder(files);
        var random = new Random(7);
        string[] genres = ["Drama", "Comedy", "War", "Action", "Romance", "Thriller", "Animation", "Sci-Fi"];
        // Prompt-like histories of different lengths, so a batch pads its shorter rows as a real one would.
        _texts = Enumerable.Range(0, Prompts).Select(p => string.Join("; ", Enumerable.Range(0, 4 + p * 3).Select(i =>
            $"Title of movie {random.Next(9000)} ({1950 + random.Next(70)}) [{genres[random.Next(genres.Length)]}|{genres[random.Next(genres.Length)]}] {(random.Next(2) == 0 ? "watched" : "passed")}"))).ToArray();
        var single = OneAtATime();
        var batched = Batched();
        var largest = single.Zip(batched, (a, b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max()).Max();
        Console.WriteLine($"// largest difference between a batched and a single vector element: {largest:G3}");
    }

    [Benchmark(Baseline = true)]
    public List<float[]> OneAtATime() => _texts.Select(t => _encoder.Encode([t])[0]).ToList();

    [Benchmark]
    public IReadOnlyList<float[]> Batched() => _encoder.Encode(_texts);

    [GlobalCleanup]
    public void Cleanup() => _encoder.Dispose();
}
