using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Cli.Retraining;
using TrackRec.Streaming.Hosting;
using TrackRec.Streaming.Kafka.Embedded.Registry;

namespace TrackRec.Streaming.Cli.Demo;

/// <summary>
/// How `demo` and `bench stream` run the real worker on an embedded Kafka: the production host
/// (<see cref="WorkerHost.Build"/>) under the demo's settings, then the caller's. Whatever the worker becomes, both
/// measure that worker.
/// </summary>
internal static class EmbeddedWorkerSettings
{
    /// <param name="bootstrapServers">The embedded cluster.</param>
    /// <param name="registry">The registry the producer used, reached by its URL as a registry server would be.</param>
    /// <param name="settings">Settings laid over the demo's (group id, backend, stop-at-end, ...).</param>
    public static WorkerHostOptions HostOptions(string bootstrapServers, EmbeddedSchemaRegistry registry, IReadOnlyDictionary<string, string?> settings) => new()
    {
        Settings =
        [
            new Dictionary<string, string?>
            {
                ["TrackRec:Kafka:BootstrapServers"] = bootstrapServers,
                ["TrackRec:Kafka:GroupId"] = "trackrec-demo",
                ["TrackRec:Kafka:SchemaRegistryUrl"] = registry.Url.ToString(),
                ["TrackRec:Worker:StopAtEnd"] = "true",
                ["TrackRec:Worker:WorkerId"] = "demo",
            },
            BoundedJobSettings.Quiet,
            settings,
        ],
        Retrainer = DpoModelRetrainer.Instance,
    };
}
