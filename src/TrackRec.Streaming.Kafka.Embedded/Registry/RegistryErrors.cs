using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TrackRec.Streaming.Kafka.Embedded.Registry;

/// <summary>Confluent's error bodies and codes, which its clients parse into their exceptions.</summary>
internal static class RegistryErrors
{
    /// <summary>The content type Confluent's registry speaks.</summary>
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    public const int SubjectNotFound = 40401;
    public const int VersionNotFound = 40402;
    public const int SchemaNotFound = 40403;
    public const int InvalidSchema = 42201;
    public const int InvalidVersion = 42202;

    public static IResult Result(int status, int errorCode, string message) =>
        Results.Json(new { error_code = errorCode, message }, Json.Options, ContentType, status);

    public static Task Write(HttpContext context, int status, int errorCode, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { error_code = errorCode, message }, Json.Options));
    }

    /// <summary>Property names exactly as written (snake_case and camelCase both occur in the protocol).</summary>
    internal static class Json
    {
        public static JsonSerializerOptions Options { get; } = new() { PropertyNamingPolicy = null };
    }
}
