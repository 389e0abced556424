using System.Globalization;
using Confluent.SchemaRegistry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrackRec.Streaming.Kafka.Serialization;

namespace TrackRec.Streaming.Kafka.Embedded.Registry;

/// <summary>
/// A schema registry inside the process that speaks Confluent's REST protocol on a real TCP port, so the worker
/// uses Confluent's own client and serdes whether or not a registry server exists, and outside tools (kcat,
/// Python's confluent_kafka, curl) read the same ids. Every contract schema is known by id from the start, and
/// ids are schema fingerprints (<see cref="IdOf"/>), the ids the embedded registry has always handed out.
/// </summary>
public sealed class EmbeddedSchemaRegistry : IAsyncDisposable, IDisposable
{
    private readonly WebApplication _app;
    private readonly EmbeddedSchemaRegistryOptions _options;
    private readonly Lazy<ISchemaRegistryClient> _client;

    private EmbeddedSchemaRegistry(WebApplication app, SchemaStore store, EmbeddedSchemaRegistryOptions options, Uri url)
    {
        _app = app;
        _options = options;
        Store = store;
        Url = url;
        _client = new Lazy<ISchemaRegistryClient>(() => new CachedSchemaRegistryClient(ClientConfig()));
    }

    /// <summary>The registry's base URL, e.g. http://127.0.0.1:8081/.</summary>
    public Uri Url { get; }

    /// <summary>What the registry holds.</summary>
    public SchemaStore Store { get; }

    /// <summary>A Confluent client for this registry (with its credentials), disposed with the registry.</summary>
    public ISchemaRegistryClient Client => _client.Value;

    /// <summary>The id the embedded registry gives <paramref name="schema"/> (see <see cref="SchemaStore.IdOf"/>).</summary>
    public static int IdOf(Avro.Schema schema) => SchemaStore.IdOf(schema);

    /// <summary>Starts a registry with <paramref name="options"/> (default: a free loopback port, no auth).</summary>
    public static async Task<EmbeddedSchemaRegistry> StartAsync(EmbeddedSchemaRegistryOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmbeddedSchemaRegistryOptions();
        var store = new SchemaStore(ContractSchemas.All);
        // No args, no appsettings: the registry's behaviour must not change with the host process's configuration.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(options.BindAddress, options.Port));
        var app = builder.Build();
        if (!string.IsNullOrEmpty(options.BasicAuthUserInfo))
            app.Use(new BasicAuthentication(options.BasicAuthUserInfo).InvokeAsync);
        RegistryEndpoints.Map(app, store);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var bound = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var host = options.BindAddress.Equals(System.Net.IPAddress.Any) ? "127.0.0.1" : bound.Host;
        var url = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{bound.Port}/"));
        return new EmbeddedSchemaRegistry(app, store, options, url);
    }

    /// <summary>Synchronous <see cref="StartAsync"/>, for composition roots that build services synchronously.</summary>
    public static EmbeddedSchemaRegistry Start(EmbeddedSchemaRegistryOptions? options = null) =>
        StartAsync(options).GetAwaiter().GetResult();

    /// <summary>Client settings that reach this registry, credentials included.</summary>
    public SchemaRegistryConfig ClientConfig()
    {
        var config = new SchemaRegistryConfig { Url = Url.ToString() };
        if (!string.IsNullOrEmpty(_options.BasicAuthUserInfo))
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = _options.BasicAuthUserInfo;
        }

        return config;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_client.IsValueCreated)
            _client.Value.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
