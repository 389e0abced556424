using TrackRec.Streaming.Kafka.Embedded.Registry;
using Xunit;

[assembly: AssemblyFixture(typeof(TrackRec.Streaming.Tests.RegistryFixture))]

namespace TrackRec.Streaming.Tests;

/// <summary>
/// One embedded registry for the serde tests, reached over its REST endpoint by Confluent's client. Sharing it is
/// safe: ids are schema fingerprints, so no test's registrations change another's ids.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private EmbeddedSchemaRegistry? _registry;

    public EmbeddedSchemaRegistry Registry => _registry ?? throw new InvalidOperationException("fixture not initialised");

    public async ValueTask InitializeAsync() => _registry = await EmbeddedSchemaRegistry.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_registry is not null)
            await _registry.DisposeAsync();
    }

    /// <summary>Registers <paramref name="schema"/> under <paramref name="subject"/> through the REST API.</summary>
    public Task<int> RegisterAsync(string subject, Avro.Schema schema) =>
        Registry.Client.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(schema.ToString(), Confluent.SchemaRegistry.SchemaType.Avro));
}
