using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Confluent.SchemaRegistry;
using TrackRec.Streaming.Events;
using TrackRec.Streaming.Kafka.Embedded.Registry;
using TrackRec.Streaming.Kafka.Serialization;
using Xunit;

namespace TrackRec.Streaming.Tests.Serialization;

/// <summary>The embedded registry's REST subset, driven by Confluent's own client and by plain HTTP as outside tools do.</summary>
public sealed class EmbeddedSchemaRegistryTests
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";
    private static readonly DateTimeOffset Ts = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Schema Avro(Avro.Schema schema) => new(schema.ToString(), SchemaType.Avro);

    [Fact]
    public async Task Confluent_client_registers_lists_fetches_and_checks_compatibility()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: Ct);
        var client = registry.Client;
        var newer = ContractSchemas.Impression;
        var older = global::Avro.Schema.Parse("""
            {"type": "record", "name": "Impression", "namespace": "io.trackrec.streaming.v1", "fields": [
              {"name": "event_id", "type": "string"}, {"name": "user_id", "type": "string"}, {"name": "item_id", "type": "string"},
              {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}}, {"name": "impression_id", "type": "string"}]}
            """);
        var unrelated = global::Avro.Schema.Parse("""{"type": "record", "name": "Other", "fields": [{"name": "must", "type": "int"}]}""");

        var olderId = await client.RegisterSchemaAsync("impressions-value", Avro(older));
        var newerId = await client.RegisterSchemaAsync("impressions-value", Avro(newer));
        Assert.Equal(newerId, await client.RegisterSchemaAsync("impressions-value", Avro(newer))); // idempotent: no third version

        Assert.Equal(EmbeddedSchemaRegistry.IdOf(older), olderId);
        Assert.Equal(EmbeddedSchemaRegistry.IdOf(newer), newerId);
        Assert.Equal(["impressions-value"], await client.GetAllSubjectsAsync());
        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync("impressions-value"));
        var latest = await client.GetLatestSchemaAsync("impressions-value");
        Assert.Equal((newerId, 2), (latest.Id, latest.Version));
        Assert.Equal(older.ToString(), (await client.GetSchemaAsync(olderId)).SchemaString);
        // BACKWARD against the latest version: the contract reads itself; a record with an unrelated required
        // field cannot read it. (Against version 1 over plain HTTP below.)
        Assert.True(await client.IsCompatibleAsync("impressions-value", Avro(newer)));
        Assert.False(await client.IsCompatibleAsync("impressions-value", Avro(unrelated)));
        using var http = new HttpClient { BaseAddress = registry.Url };
        using var check = await http.PostAsync("compatibility/subjects/impressions-value/versions/1",
            new StringContent(JsonSerializer.Serialize(new { schema = newer.ToString() }), Encoding.UTF8, ContentType), Ct);
        Assert.Equal("{\"is_compatible\":true}", await check.Content.ReadAsStringAsync(Ct));
        var missing = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaAsync(12345));
        Assert.Equal((HttpStatusCode.NotFound, 40403), (missing.Status, missing.ErrorCode));
    }

    [Fact]
    public async Task Plain_http_sees_confluents_shapes()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = registry.Url };
        var body = JsonSerializer.Serialize(new { schema = ContractSchemas.Click.ToString() });

        using var posted = await http.PostAsync("subjects/clicks-value/versions", new StringContent(body, Encoding.UTF8, ContentType), Ct);
        using var registered = JsonDocument.Parse(await posted.Content.ReadAsStringAsync(Ct));
        var byId = JsonDocument.Parse(await http.GetStringAsync($"schemas/ids/{registered.RootElement.GetProperty("id").GetInt32()}", Ct));
        using var unknownSubject = await http.GetAsync("subjects/nope-value/versions", Ct);
        using var badVersion = await http.GetAsync("subjects/clicks-value/versions/zero", Ct);

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(ContentType, posted.Content.Headers.ContentType?.MediaType);
        Assert.Equal(EmbeddedSchemaRegistry.IdOf(ContractSchemas.Click), registered.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(ContractSchemas.Click.ToString(), byId.RootElement.GetProperty("schema").GetString());
        Assert.Equal("[1]", await http.GetStringAsync("subjects/clicks-value/versions", Ct));
        Assert.Equal((HttpStatusCode.NotFound, 40401), (unknownSubject.StatusCode, await ErrorCode(unknownSubject)));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, 42202), (badVersion.StatusCode, await ErrorCode(badVersion)));
    }

    [Fact]
    public async Task A_registry_that_requires_basic_auth_serves_the_serdes_with_credentials_and_refuses_without()
    {
        await using var registry = await EmbeddedSchemaRegistry.StartAsync(
            new EmbeddedSchemaRegistryOptions { BasicAuthUserInfo = "trackrec:s3cret" }, Ct);
        var config = registry.ClientConfig();
        Assert.Equal(AuthCredentialsSource.UserInfo, config.BasicAuthCredentialsSource);

        using (var authorised = new CachedSchemaRegistryClient(config))
        {
            var serde = new ContractSerdes(authorised).Impressions("impressions");
            var value = new Impression("e1", "u1", "i1", Ts, "imp1");
            Assert.Equal(value, await serde.DeserializeAsync(await serde.SerializeAsync(value, Ct), Ct));
            Assert.Equal(["impressions-value"], await authorised.GetAllSubjectsAsync());
        }

        // Without credentials, or with wrong ones, nothing is served; for the serde that is a registry
        // failure (retried), never a record fault (dead-lettered).
        using var anonymous = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = registry.Url.ToString() });
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => new ContractSerdes(anonymous).Impressions("impressions")
            .SerializeAsync(new Impression("e1", "u1", "i1", Ts, "imp1"), Ct).AsTask());
        Assert.IsNotType<RecordDecodeException>(refused, exactMatch: false);
        Assert.Contains("Unauthorized", refused.Message, StringComparison.OrdinalIgnoreCase);

        using var http = new HttpClient { BaseAddress = registry.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("trackrec:wrong")));
        using var wrong = await http.GetAsync("subjects", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(401, await ErrorCode(wrong));
        Assert.Contains("Basic", wrong.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var bytes = await new ContractSerdes(registry.Client).Impressions("impressions").SerializeAsync(new Impression("e2", "u1", "i1", Ts, "imp2"), Ct);
        await Assert.ThrowsAnyAsync<Exception>(() => new ContractSerdes(anonymous).Impressions("other").DeserializeAsync(bytes, Ct).AsTask());
    }

    private static async Task<int> ErrorCode(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return doc.RootElement.GetProperty("error_code").GetInt32();
    }
}
