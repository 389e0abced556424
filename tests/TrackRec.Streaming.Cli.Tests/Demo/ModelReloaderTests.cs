using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Chains;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Hosting.Roles;
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

    private ModelReloader Reloader(GenerationOrchestrator writer, IModelRoleProvider? roles = null)
    {
        var options = Options.Create(new ModelOptions { Directory = _dir });
        var encoder = Options.Create(new OnnxEncoderOptions());
        return new(
            writer,
            roles ?? new ConfiguredModelRoles(options, encoder, new ConfigurationBuilder().Build(), new ModelCallCounters()),
            options,
            encoder,
            TimeProvider.System,
            NullLogger<ModelReloader>.Instance);
    }

    [Fact]
    public async Task The_roles_a_new_version_replaces_are_disposed_and_the_ones_kept_are_not()
    {
        Copy(models.Directory, _dir);
        var store = new ModelStore(_dir);
        var first = new TrackedEncoder();
        var second = new TrackedEncoder();
        var loads = new Queue<TrackedEncoder>([second]);
        var writer = new GenerationOrchestrator(new GenerationOptions(), EmbeddedModelSet.Load(store) with { Encoder = first });
        var provider = new LoadingRoles(() => EmbeddedModelSet.Load(store) with { Encoder = loads.Dequeue() });
        var reloader = Reloader(writer, provider);

        Republish(store, EmbeddedModelFiles.Generator);
        Assert.True(reloader.CheckOnce());
        await reloader.Retired.WaitAsync(TestContext.Current.CancellationToken);

        Assert.True(first.Disposed); // the replaced set's encoder (an ONNX session in production) is released
        Assert.False(second.Disposed);
        Assert.Same(second, writer.Roles.Encoder);
    }

    [Fact]
    public async Task Fixed_roles_are_never_reloaded()
    {
        Copy(models.Directory, _dir);
        var store = new ModelStore(_dir);
        var roles = EmbeddedModelSet.Load(store);
        var writer = new GenerationOrchestrator(new GenerationOptions(), roles);
        var reloader = Reloader(writer, new FixedModelRoles(roles));
        Republish(store, EmbeddedModelFiles.Generator);

        await reloader.StartAsync(TestContext.Current.CancellationToken);
        await reloader.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken); // returns: nothing to follow
        await reloader.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal("generator-v1", writer.Roles.Versions.Generator);
    }

    private sealed class LoadingRoles(Func<ChainRoles> load) : IModelRoleProvider
    {
        public bool FromConfiguration => true;

        public ChainRoles Load() => load();
    }

    private sealed class TrackedEncoder : IChainEncoder, IDisposable
    {
        public bool Disposed { get; private set; }

        public string Version => "tracked";

        public int Dimension => 2;

        public Task<IReadOnlyList<float[]>> EncodeAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<float[]>>([.. texts.Select(_ => new float[2])]);

        public void Dispose() => Disposed = true;
    }

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
