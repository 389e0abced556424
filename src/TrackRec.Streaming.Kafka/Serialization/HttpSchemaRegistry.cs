using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Avro;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// A client for the Confluent Schema Registry REST API (register a subject version, fetch a schema by id),
/// caching both directions because ids and schemas never change once assigned.
/// </summary>
public sealed class HttpSchemaRegistry : ISchemaRegistry
{
    /// <summary>The content type the registry speaks.</summary>
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly ConcurrentDictionary<(string Subject, string Schema), int> _ids = new();
    private readonly ConcurrentDictionary<int, Schema> _schemas = new();

    /// <summary>Uses <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> must be the registry's URL.</summary>
    public HttpSchemaRegistry(HttpClient http)
        : this(http, http?.BaseAddress ?? throw new ArgumentException("HttpClient.BaseAddress must be the registry URL", nameof(http)))
    {
    }

    /// <summary>Uses <paramref name="http"/> to talk to the registry at <paramref name="baseAddress"/>.</summary>
    public HttpSchemaRegistry(HttpClient http, Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseAddress);
        _http = http;
        // Without a trailing slash, relative paths would replace the base's last segment (a proxy prefix).
        var text = baseAddress.ToString();
        _baseAddress = new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
    }

    /// <inheritdoc />
    public async Task<int> RegisterAsync(string subject, Schema schema, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(schema);
        var schemaJson = schema.ToString();
        if (_ids.TryGetValue((subject, schemaJson), out var cached))
            return cached;

        using var request = new HttpRequestMessage(
            HttpMethod.Post, new Uri(_baseAddress, $"subjects/{Uri.EscapeDataString(subject)}/versions"));
        request.Content = new ByteArrayContent(SchemaBody(schemaJson));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        using var doc = await SendAsync(request, ct).ConfigureAwait(false);
        if (!doc.RootElement.TryGetProperty("id", out var idElement) || !idElement.TryGetInt32(out var id))
            throw new SchemaRegistryException(HttpStatusCode.OK, null, $"registry answer for subject '{subject}' has no id");

        _ids[(subject, schemaJson)] = id;
        _schemas.TryAdd(id, schema);
        return id;
    }

    /// <inheritdoc />
    public async Task<Schema> GetSchemaAsync(int id, CancellationToken ct)
    {
        if (_schemas.TryGetValue(id, out var cached))
            return cached;

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, $"schemas/ids/{id}"));
        JsonDocument doc;
        try
        {
            doc = await SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (SchemaRegistryException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new UnknownSchemaException(id, $"schema id {id} is not known to the schema registry: {e.Message}", e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            // The registry also stores Protobuf and JSON schemas; a record pointing at one is not ours to read.
            if (root.TryGetProperty("schemaType", out var type) && type.ValueKind == JsonValueKind.String
                && !string.Equals(type.GetString(), "AVRO", StringComparison.OrdinalIgnoreCase))
            {
                throw new UnknownSchemaException(id, $"schema id {id} is a {type.GetString()} schema, not Avro");
            }

            if (!root.TryGetProperty("schema", out var text) || text.ValueKind != JsonValueKind.String)
                throw new SchemaRegistryException(HttpStatusCode.OK, null, $"registry answer for schema id {id} has no schema");

            Schema schema;
            try
            {
                schema = Schema.Parse(text.GetString());
            }
            catch (Exception e)
            {
                // Avro reports malformed JSON with Newtonsoft's exceptions, not only its own.
                throw new UnknownSchemaException(id, $"schema id {id} does not parse as Avro: {e.Message}", e);
            }

            return _schemas.GetOrAdd(id, schema);
        }
    }

    private static byte[] SchemaBody(string schemaJson)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("schema", schemaJson);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task<JsonDocument> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ContentType));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.9));
        using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw Failure(request, response.StatusCode, body);

        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new SchemaRegistryException(
                response.StatusCode, null, $"{request.Method} {request.RequestUri}: registry answered with invalid JSON: {e.Message}");
        }
    }

    private static SchemaRegistryException Failure(HttpRequestMessage request, HttpStatusCode status, byte[] body)
    {
        int? errorCode = null;
        string? message = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("error_code", out var code) && code.TryGetInt32(out var c))
                    errorCode = c;
                if (doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    message = m.GetString();
            }
        }
        catch (JsonException)
        {
            // Proxies answer with HTML or plain text; show a bounded slice of it instead.
            var text = Encoding.UTF8.GetString(body);
            message = text.Length > 200 ? text[..200] + "..." : text;
        }

        var detail = errorCode is null ? message : $"error_code {errorCode}: {message}";
        return new SchemaRegistryException(
            status,
            errorCode,
            $"schema registry {request.Method} {request.RequestUri} failed with HTTP {(int)status} {status}"
            + (string.IsNullOrEmpty(detail) ? string.Empty : $" ({detail})"));
    }
}
