using System.Net;

namespace TrackRec.Streaming.Kafka.Embedded.Registry;

/// <summary>How the embedded registry's REST endpoint listens.</summary>
public sealed record EmbeddedSchemaRegistryOptions
{
    /// <summary>TCP port; 0 picks a free one (read it back from <see cref="EmbeddedSchemaRegistry.Url"/>).</summary>
    public int Port { get; init; }

    /// <summary>Address to listen on; loopback by default, so nothing outside the machine reaches it.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>"user:password" that every request must present with HTTP basic auth; null serves without auth.</summary>
    public string? BasicAuthUserInfo { get; init; }
}
