using System.Reflection;
using Confluent.SchemaRegistry;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Serialization;

/// <summary>
/// The serde registers its schema once, on the first write, and a registration that fails is the caller's
/// (retryable) fault rather than a poisoned serde: the next write registers again.
/// </summary>
public sealed class SchemaRegistrationTests(RegistryFixture registry)
{
    private static readonly Impression Value = new("e1", "u1", "i1", new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero), "imp1");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Many_writes_register_once()
    {
        var client = CountingRegistry.Wrap(registry.Registry.Client, failures: 0);
        var serde = new ContractSerdes(client).Impressions("impressions-registered-once");

        var writes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => serde.SerializeAsync(Value, Ct).AsTask()));

        Assert.All(writes, bytes => Assert.Equal(EmbeddedSchemaRegistry.IdOf(ContractSchemas.Impression), AvroWireFormat.ReadSchemaId(bytes)));
        Assert.InRange(((CountingRegistry)(object)client).Registrations, 1, 2); // two writes may race to the first registration
    }

    [Fact]
    public async Task A_failed_registration_fails_its_write_and_the_next_write_registers()
    {
        var client = CountingRegistry.Wrap(registry.Registry.Client, failures: 1);
        var serde = new ContractSerdes(client).Impressions("impressions-flaky-registry");

        await Assert.ThrowsAsync<HttpRequestException>(() => serde.SerializeAsync(Value, Ct).AsTask());
        var bytes = await serde.SerializeAsync(Value, Ct);

        Assert.Equal(EmbeddedSchemaRegistry.IdOf(ContractSchemas.Impression), AvroWireFormat.ReadSchemaId(bytes));
        Assert.Equal(2, ((CountingRegistry)(object)client).Registrations);
    }

    /// <summary>The real client, but registrations are counted and the first <c>failures</c> of them fail as an unreachable registry does.</summary>
    public class CountingRegistry : DispatchProxy
    {
        private ISchemaRegistryClient _inner = null!;
        private int _failures;
        private int _registrations;

        public int Registrations => Volatile.Read(ref _registrations);

        public static ISchemaRegistryClient Wrap(ISchemaRegistryClient inner, int failures)
        {
            var proxy = Create<ISchemaRegistryClient, CountingRegistry>();
            var counting = (CountingRegistry)(object)proxy;
            counting._inner = inner;
            counting._failures = failures;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? method, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(method);
            if (method.Name.StartsWith("RegisterSchema", StringComparison.Ordinal))
            {
                var attempt = Interlocked.Increment(ref _registrations);
                if (attempt <= _failures)
                    return Task.FromException<int>(new HttpRequestException("registry unreachable (test)"));
            }
            try
            {
                return method.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }
}
