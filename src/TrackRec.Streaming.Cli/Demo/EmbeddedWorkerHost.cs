using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Kafka.Embedded.Registry;

namespace TrackRec.Streaming.Cli.Demo;

/// <summary>
/// The real worker host on an embedded Kafka, built the one way `demo` and `bench stream` both run it:
/// the production registration (<see cref="WorkerServiceCollectionExtensions.AddTrackRecWorker"/>) under the
/// demo's settings, then the caller's. Whatever the worker becomes, both measure that worker.
/// </summary>
internal static class EmbeddedWorkerHost
{
    /// <param name="bootstrapServers">The embedded cluster.</param>
    /// <param name="registry">The registry the producer used, reached by its URL as a registry server would be.</param>
    /// <param name="settings">Settings laid over the demo's (group id, backend, stop-at-end, ...).</param>
    public static IHost Build(string bootstrapServers, EmbeddedSchemaRegistry registry, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TrackRec:Kafka:BootstrapServers"] = bootstrapServers,
            ["TrackRec:Kafka:GroupId"] = "trackrec-demo",
            ["TrackRec:Kafka:SchemaRegistryUrl"] = registry.Url.ToString(),
            ["TrackRec:Worker:StopAtEnd"] = "true",
            ["TrackRec:Worker:WorkerId"] = "demo",
        });
        builder.Configuration.AddInMemoryCollection(BoundedJobSettings.Quiet);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddTrackRecWorker();
        return builder.Build();
    }
}
