namespace TrackRec.Streaming.Tests.Telemetry;

/// <summary>
/// The observed run alone in the process: OpenTelemetry's listeners are process-wide (every Meter and ActivitySource
/// named TrackRec.Streaming, whichever host made it), so another test's worker running beside it would add its
/// metrics and spans to what this run's /metrics and OTLP receiver see.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservedRunCollection
{
    public const string Name = "observed worker run";
}
