using System.Globalization;
using System.Text.Json;
using Avro;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TrackRec.Streaming.Kafka.Embedded.Registry;

/// <summary>
/// The subset of Confluent's Schema Registry REST API that serdes and everyday tools use (paths, bodies and
/// error codes as in its API reference): register a subject version, look a schema up under a subject, get a
/// schema by id, list subjects and versions, get a version, and check compatibility. Compatibility is BACKWARD
/// (a new schema must read every version before it) and is checked on request, not enforced on registration.
/// </summary>
internal static class RegistryEndpoints
{
    public static void Map(IEndpointRouteBuilder app, SchemaStore store)
    {
        app.MapGet("/", () => Ok(new { }));
        app.MapGet("/subjects", () => Ok(store.Subjects()));
        app.MapGet("/subjects/{subject}/versions", (string subject) =>
            store.Versions(subject) is { } versions ? Ok(versions) : SubjectNotFound(subject));
        app.MapGet("/subjects/{subject}/versions/{version}", (string subject, string version) =>
            Version(store, subject, version));
        app.MapGet("/subjects/{subject}/versions/{version}/schema", (string subject, string version) =>
            ParseVersion(version) is { } v && store.IdAt(subject, v) is { } id
                ? Results.Text(store.Find(id)!.ToString(), RegistryErrors.ContentType)
                : Version(store, subject, version));
        app.MapPost("/subjects/{subject}/versions", async (string subject, HttpRequest request) =>
        {
            var (schema, error) = await ReadSchemaAsync(request).ConfigureAwait(false);
            if (error is not null)
                return error;
            var (id, version) = store.Register(subject, schema!);
            return Ok(new { id, subject, version, schema = schema!.ToString() });
        });
        app.MapPost("/subjects/{subject}", async (string subject, HttpRequest request) =>
        {
            var (schema, error) = await ReadSchemaAsync(request).ConfigureAwait(false);
            if (error is not null)
                return error;
            if (store.Versions(subject) is null)
                return SubjectNotFound(subject);
            return store.VersionOf(subject, schema!) is { } version
                ? Ok(new { subject, id = SchemaStore.IdOf(schema!), version, schema = schema!.ToString() })
                : RegistryErrors.Result(StatusCodes.Status404NotFound, RegistryErrors.SchemaNotFound, "Schema not found");
        });
        app.MapGet("/schemas/ids/{id:int}", (int id) =>
            store.Find(id) is { } schema
                ? Ok(new { schema = schema.ToString() })
                : RegistryErrors.Result(StatusCodes.Status404NotFound, RegistryErrors.SchemaNotFound, "Schema " + id + " not found"));
        app.MapGet("/schemas/ids/{id:int}/schema", (int id) =>
            store.Find(id) is { } schema
                ? Results.Text(schema.ToString(), RegistryErrors.ContentType)
                : RegistryErrors.Result(StatusCodes.Status404NotFound, RegistryErrors.SchemaNotFound, "Schema " + id + " not found"));
        app.MapPost("/compatibility/subjects/{subject}/versions/{version}", async (string subject, string version, HttpRequest request) =>
        {
            var (schema, error) = await ReadSchemaAsync(request).ConfigureAwait(false);
            if (error is not null)
                return error;
            if (ParseVersion(version) is not { } v)
                return InvalidVersion(version);
            if (store.IdAt(subject, v) is not { } id)
                return store.Versions(subject) is null ? SubjectNotFound(subject) : VersionNotFound(version);
            var existing = store.Find(id)!;
            return Ok(new { is_compatible = schema!.CanRead(existing) });
        });
        app.MapGet("/config", () => Ok(new { compatibilityLevel = "BACKWARD" }));
    }

    private static IResult Version(SchemaStore store, string subject, string version)
    {
        if (ParseVersion(version) is not { } v)
            return InvalidVersion(version);
        if (store.IdAt(subject, v) is not { } id)
            return store.Versions(subject) is null ? SubjectNotFound(subject) : VersionNotFound(version);
        var number = v == -1 ? store.Versions(subject)!.Count : v;
        return Ok(new { subject, version = number, id, schema = store.Find(id)!.ToString() });
    }

    private static async Task<(Schema? Schema, IResult? Error)> ReadSchemaAsync(HttpRequest request)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return (null, RegistryErrors.Result(StatusCodes.Status422UnprocessableEntity, RegistryErrors.InvalidSchema, "Invalid JSON body: " + e.Message));
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("schema", out var text) || text.ValueKind != JsonValueKind.String)
                return (null, RegistryErrors.Result(StatusCodes.Status422UnprocessableEntity, RegistryErrors.InvalidSchema, "The body has no 'schema' string"));
            if (root.TryGetProperty("schemaType", out var type) && type.ValueKind == JsonValueKind.String
                && !string.Equals(type.GetString(), "AVRO", StringComparison.OrdinalIgnoreCase))
                return (null, RegistryErrors.Result(StatusCodes.Status422UnprocessableEntity, RegistryErrors.InvalidSchema, $"Only AVRO schemas are served here, not {type.GetString()}"));
            if (root.TryGetProperty("references", out var references) && references.ValueKind == JsonValueKind.Array && references.GetArrayLength() > 0)
                return (null, RegistryErrors.Result(StatusCodes.Status422UnprocessableEntity, RegistryErrors.InvalidSchema, "Schema references are not supported by the embedded registry"));
            try
            {
                return (Schema.Parse(text.GetString()), null);
            }
            catch (Exception e) when (e is SchemaParseException or AvroException or Newtonsoft.Json.JsonException)
            {
                return (null, RegistryErrors.Result(StatusCodes.Status422UnprocessableEntity, RegistryErrors.InvalidSchema, "Invalid schema: " + e.Message));
            }
        }
    }

    private static int? ParseVersion(string version) =>
        version == "latest" ? -1
        : int.TryParse(version, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && (v >= 1 || v == -1) ? v
        : null;

    private static IResult Ok(object body) => Results.Json(body, RegistryErrors.Json.Options, RegistryErrors.ContentType);

    private static IResult SubjectNotFound(string subject) =>
        RegistryErrors.Result(StatusCodes.Status404NotFound, RegistryErrors.SubjectNotFound, $"Subject '{subject}' not found.");

    private static IResult VersionNotFound(string version) =>
        RegistryErrors.Result(StatusCodes.Status404NotFound, RegistryErrors.VersionNotFound, $"Version {version} not found.");

    private static IResult InvalidVersion(string version) =>
        RegistryErrors.Result(StatusCodes.Status422UnprocessableEntity, RegistryErrors.InvalidVersion,
            $"The specified version '{version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
}
