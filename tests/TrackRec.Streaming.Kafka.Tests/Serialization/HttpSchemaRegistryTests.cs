using System.Net;
using System.Text.Json;
using Avro;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Serialization;

public sealed class HttpSchemaRegistryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string SchemaAnswer(Schema schema) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["schema"] = schema.ToString() });

    [Fact]
    public async Task Register_posts_the_schema_and_caches_the_id()
    {
        await using var server = new FakeRegistryServer(_ => (200, """{"id": 42}"""));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var registry = new HttpSchemaRegistry(http);

        Assert.Equal(42, await registry.RegisterAsync("impressions-value", ContractSchemas.Impression, Ct));
        Assert.Equal(42, await registry.RegisterAsync("impressions-value", ContractSchemas.Impression, Ct));

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/subjects/impressions-value/versions", request.Path);
        Assert.StartsWith(HttpSchemaRegistry.ContentType, request.ContentType, StringComparison.Ordinal);
        Assert.Contains(HttpSchemaRegistry.ContentType, request.Accept, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        var sent = Schema.Parse(body.RootElement.GetProperty("schema").GetString());
        Assert.Equal(SchemaNormalization.ToParsingForm(ContractSchemas.Impression), SchemaNormalization.ToParsingForm(sent));

        // What we registered we can read back without asking again.
        Assert.Same(ContractSchemas.Impression, await registry.GetSchemaAsync(42, Ct));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Fetch_by_id_parses_and_caches_the_schema()
    {
        await using var server = new FakeRegistryServer(r =>
            r.Path == "/schemas/ids/7" ? (200, SchemaAnswer(ContractSchemas.Click)) : (404, """{"error_code":40403,"message":"Schema not found"}"""));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var registry = new HttpSchemaRegistry(http);

        var first = await registry.GetSchemaAsync(7, Ct);
        var second = await registry.GetSchemaAsync(7, Ct);

        Assert.Equal(ContractSchemas.Click.Fullname, first.Fullname);
        Assert.Same(first, second);
        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
    }

    [Fact]
    public async Task Not_found_on_fetch_is_an_unknown_schema()
    {
        await using var server = new FakeRegistryServer(_ => (404, """{"error_code":40403,"message":"Schema 99 not found"}"""));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var registry = new HttpSchemaRegistry(http);

        var e = await Assert.ThrowsAsync<UnknownSchemaException>(() => registry.GetSchemaAsync(99, Ct));
        Assert.Equal(99, e.SchemaId);
        Assert.Equal("unknown-schema", e.ErrorClass);
        Assert.Contains("40403", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_error_is_a_clear_registry_exception()
    {
        await using var server = new FakeRegistryServer(_ => (500, """{"error_code":50001,"message":"Error in the backend data store"}"""));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var registry = new HttpSchemaRegistry(http);

        var e = await Assert.ThrowsAsync<SchemaRegistryException>(
            () => registry.RegisterAsync("outcomes-value", ContractSchemas.Outcome, Ct));
        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Equal(50001, e.ErrorCode);
        Assert.Contains("Error in the backend data store", e.Message, StringComparison.Ordinal);
        Assert.Contains("500", e.Message, StringComparison.Ordinal);
        Assert.Contains("subjects/outcomes-value/versions", e.Message, StringComparison.Ordinal);

        // Not cached: a second call asks again.
        await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.RegisterAsync("outcomes-value", ContractSchemas.Outcome, Ct));
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Server_error_on_fetch_propagates_and_is_not_a_decode_error()
    {
        await using var server = new FakeRegistryServer(_ => (503, "<html>upstream unavailable</html>"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var serde = new ContractSerdes(new HttpSchemaRegistry(http)).Impressions("impressions");

        var bytes = AvroWireFormat.Write(5, [0]);
        var e = await Assert.ThrowsAsync<SchemaRegistryException>(async () => await serde.DeserializeAsync(bytes, Ct));
        Assert.Null(e.ErrorCode);
        Assert.Contains("upstream unavailable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_avro_schema_is_unknown()
    {
        await using var server = new FakeRegistryServer(_ => (200, """{"schemaType":"PROTOBUF","schema":"syntax = \"proto3\";"}"""));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var registry = new HttpSchemaRegistry(http);

        await Assert.ThrowsAsync<UnknownSchemaException>(() => registry.GetSchemaAsync(3, Ct));
    }

    [Fact]
    public async Task Serde_round_trips_through_the_http_registry()
    {
        var registered = new Dictionary<int, string>();
        await using var server = new FakeRegistryServer(r =>
        {
            lock (registered)
            {
                if (r.Method == "POST")
                {
                    registered[11] = JsonDocument.Parse(r.Body).RootElement.GetProperty("schema").GetString()!;
                    return (200, """{"id":11}""");
                }

                return registered.TryGetValue(11, out var s) && r.Path == "/schemas/ids/11"
                    ? (200, JsonSerializer.Serialize(new Dictionary<string, string> { ["schema"] = s }))
                    : (404, """{"error_code":40403,"message":"Schema not found"}""");
            }
        });

        using var producerHttp = new HttpClient { BaseAddress = server.BaseAddress };
        using var consumerHttp = new HttpClient { BaseAddress = server.BaseAddress };
        var producer = new ContractSerdes(new HttpSchemaRegistry(producerHttp)).Clicks("clicks");
        var consumer = new ContractSerdes(new HttpSchemaRegistry(consumerHttp)).Clicks("clicks");

        var click = new Click("e1", "u1", "i1", new DateTimeOffset(2025, 1, 2, 3, 4, 5, 6, TimeSpan.Zero), "imp1");
        var bytes = await producer.SerializeAsync(click, Ct);
        await producer.SerializeAsync(click, Ct);
        Assert.Equal(11, AvroWireFormat.ReadSchemaId(bytes));
        Assert.Equal(click, await consumer.DeserializeAsync(bytes, Ct));
        Assert.Equal(click, await consumer.DeserializeAsync(bytes, Ct));
        Assert.Equal(["POST", "GET"], server.Requests.Select(r => r.Method));
    }
}
