using OpenTelemetry.Exporter;

namespace TrackRec.Streaming.Hosting.Telemetry;

/// <summary>
/// The OTLP exporter options of one signal (metrics or traces) from TrackRec:Telemetry. Over HTTP the exporter
/// posts to the endpoint exactly as given when it is set in code, so the signal's path (/v1/metrics, /v1/traces)
/// is appended here, as the OTEL_EXPORTER_OTLP_ENDPOINT variable would have it.
/// </summary>
internal static class OtlpSignalOptions
{
    public const string Metrics = "v1/metrics";
    public const string Traces = "v1/traces";

    /// <summary>Exporter options for <paramref name="signalPath"/>, or null when no OTLP endpoint is configured.</summary>
    public static OtlpExporterOptions? For(TelemetryOptions telemetry, string signalPath)
    {
        var endpoint = TelemetryOptionsValidator.OtlpEndpointOf(telemetry);
        if (endpoint is null)
            return null;
        // The options' own defaults still come from OTEL_EXPORTER_OTLP_* (protocol, headers).
        var options = new OtlpExporterOptions();
        if (telemetry.OtlpProtocol is { } protocol)
            options.Protocol = protocol;
        options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf && !endpoint.AbsolutePath.EndsWith(signalPath, StringComparison.Ordinal)
            ? new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath)
            : endpoint;
        return options;
    }
}
