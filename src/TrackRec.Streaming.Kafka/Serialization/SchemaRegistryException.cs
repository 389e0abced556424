using System.Net;

namespace TrackRec.Streaming.Kafka.Serialization;

/// <summary>
/// The schema registry answered with an error. Deliberately not a <see cref="RecordDecodeException"/>:
/// a registry outage is not the record's fault, so the record must be retried rather than dead-lettered.
/// </summary>
public sealed class SchemaRegistryException(HttpStatusCode statusCode, int? errorCode, string message)
    : Exception(message)
{
    /// <summary>HTTP status of the registry's answer.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;

    /// <summary>The registry's own <c>error_code</c> (for example 40401, 50001), when its body carried one.</summary>
    public int? ErrorCode { get; } = errorCode;
}
