namespace TrackRec.Streaming.Hosting.Telemetry;

/// <summary>Where the worker's metrics (Meter "TrackRec.Streaming") and spans (ActivitySource "TrackRec.Streaming") are exported; both off by default.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "TrackRec:Telemetry";

    /// <summary>
    /// OTLP collector endpoint, e.g. http://otel-collector:4317 (gRPC; set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
    /// for port 4318). Empty exports nothing over OTLP.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// OTLP transport: Grpc (port 4317) or HttpProtobuf (port 4318; the signal paths /v1/metrics and /v1/traces are
    /// appended to <see cref="OtlpEndpoint"/>). Unset: OTEL_EXPORTER_OTLP_PROTOCOL, else Grpc.
    /// </summary>
    public OpenTelemetry.Exporter.OtlpExportProtocol? OtlpProtocol { get; set; }

    /// <summary>Serve a Prometheus scrape endpoint at /metrics on the health port (TrackRec:Health:Port).</summary>
    public bool Prometheus { get; set; }
}
