using Microsoft.Extensions.Options;
using TrackRec.Streaming.Hosting.Health;

namespace TrackRec.Streaming.Hosting.Telemetry;

/// <summary>Stops start-up on an OTLP endpoint that is not a URL, or a Prometheus endpoint with no port to serve it on.</summary>
internal sealed class TelemetryOptionsValidator(IOptions<HealthOptions> health) : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint) && OtlpEndpointOf(options) is null)
            failures.Add($"{TelemetryOptions.Section}:OtlpEndpoint '{options.OtlpEndpoint}' is not an http(s) URL (e.g. http://otel-collector:4317; leave it empty to export nothing)");
        if (options.Prometheus && health.Value.Port == 0)
            failures.Add($"{TelemetryOptions.Section}:Prometheus needs {HealthOptions.Section}:Port: /metrics is served on the health port");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The OTLP endpoint, or null when it is empty or not an http(s) URL.</summary>
    public static Uri? OtlpEndpointOf(TelemetryOptions options) =>
        !string.IsNullOrWhiteSpace(options.OtlpEndpoint)
        && Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var url)
        && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : null;
}
