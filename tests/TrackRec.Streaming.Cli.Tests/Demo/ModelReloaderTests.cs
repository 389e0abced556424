using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Models.Embedded;
using TrackRec.Streaming.Models.Onnx;
using TrackRec.Streaming.Models.Store;

namespace TrackRec.Streaming.Tests.Demo;

/// <summary>A version published to the model directory replaces the serving roles without a restart; a broken one does not.</summary>
public sealed class ModelReloaderTests(TrainedModelsFixture models) : IDisposable, IClassFixture<TrainedModelsFixture>
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-reload-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static ModelCard Republish(ModelStore store, string role, Action<string>? tamper = null)
    {
        var current = store.Current(role)!;
        return store.Publish(current with { Version = store.NextVersion(role), ParentVersion = current.Version }, dir =>
        {
            foreach (var file in Directory.EnumerateFiles(store.DirectoryOf(role, current.Version)).Where(f => Path.GetFileName(f) != "card.json"))
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            tamper?.Invoke(dir);
        });
    }

    private ModelReloader Reloader(GenerationOrchestrator writer) => new(
        writer,
        Options.Create(new ModelOptions { Directory = _dir }),
        Options.Create(new OnnxEncoderOptions()),
        new ConfigurationBuilder().Build(),
        new ModelCallCounters(),
        TimeProvider.System,
        NullLogger<ModelReloader>.Instance);

    [Fact]
    public void A_newly_published_generator_serves_the_next_generation_and_a_broken_one_is_refused()
    {
        Copy(models.Directory, _dir);
        var store = new ModelStore(_dir);
        var writer = new GenerationOrchestrator(new GenerationOptions(), EmbeddedModelSet.Load(store));
        var reloader = Reloader(writer);

        Assert.False(reloader.CheckOnce());
        Republish(store, EmbeddedModelFiles.Generator);
        Assert.True(reloader.CheckOnce());
        Assert.Equal("generator-v2", writer.Roles.Versions.Generator);
        Assert.Equal("validator-v1", writer.Roles.Versions.Validator);
        Assert.False(reloader.CheckOnce());

        Republish(store, EmbeddedModelFiles.Validator, dir => File.WriteAllText(Path.Combine(dir, EmbeddedModelFiles.ValidatorNetwork), "{ not json"));
        Assert.False(reloader.CheckOnce());
        Assert.Equal("validator-v1", writer.Roles.Versions.Validator);
    }

    [Fact]
    public void A_version_tampered_with_or_partly_copied_after_publish_is_refused_and_the_serving_one_kept()
    {
        Copy(models.Directory, _dir);
        var store = new ModelStore(_dir);
        var writer = new GenerationOrchestrator(new GenerationOptions(), EmbeddedModelSet.Load(store));
        var reloader = Reloader(writer);

        // Still valid JSON, so only the hash in card.json can tell.
        var tampered = Republish(store, EmbeddedModelFiles.Generator);
        Assert.True(tampered.Sha256.ContainsKey(EmbeddedModelFiles.Policy));
        File.AppendAllText(store.PathOf(tampered, EmbeddedModelFiles.Policy), " ");
        Assert.False(reloader.CheckOnce());
        Assert.Equal("generator-v1", writer.Roles.Versions.Generator);
        var error = Assert.Throws<ModelIntegrityException>(() => EmbeddedModelSet.Load(store));
        Assert.Contains(EmbeddedModelFiles.Policy, error.Message, StringComparison.Ordinal);

        var partial = Republish(store, EmbeddedModelFiles.Generator);
        File.Delete(store.PathOf(partial, EmbeddedModelFiles.Priors));
        Assert.False(reloader.CheckOnce());
        Assert.Equal("generator-v1", writer.Roles.Versions.Generator);
        Assert.Contains("is incomplete", Assert.Throws<ModelIntegrityException>(() => EmbeddedModelSet.Load(store)).Message, StringComparison.Ordinal);
    }
}
