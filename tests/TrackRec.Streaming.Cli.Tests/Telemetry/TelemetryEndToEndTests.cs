using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using TrackRec.Streaming.Tests.Deploy;

namespace TrackRec.Streaming.Tests.Telemetry;

/// <summary>
/// The operator's view of a bounded worker run (<see cref="ObservedWorkerRun"/>): the deployment's probes hit real
/// endpoints, the dashboard and the alert rules name only metrics the worker exports on /metrics, and an OTLP
/// receiver gets the worker's metrics and its spans, linked to the records that caused them.
/// </summary>
[Collection(ObservedRunCollection.Name)]
public sealed partial class TelemetryEndToEndTests(ObservedWorkerRun run) : IClassFixture<ObservedWorkerRun>
{
    [Fact]
    public void The_observed_run_drained_its_stream_and_was_read_when_it_finished()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"generations {run.Generations}, batches {run.BatchesWritten}");
        Assert.Equal(0, run.ExitCode);
        Assert.Null(run.Worker.Failure);
        Assert.Equal(0, run.ReplayExitCode);
        Assert.Null(run.Replay.Failure);
        Assert.True(run.Generations > 0);
        Assert.True(run.BatchesWritten > 0, "the run should cut training batches (MaxRecords 5)");
    }

    [Fact]
    public void Every_probe_path_of_the_overlays_is_served_on_the_health_port()
    {
        Assert.Null(run.Worker.Failure);
        foreach (var path in ObservedWorkerRun.ProbedPaths)
        {
            Assert.True(run.Worker.Answers.TryGetValue(path, out var answer), $"{path} was not asked");
            // 503 is a real answer (not ready yet, or no longer); 404 would mean the probe points nowhere.
            Assert.True(answer.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{path} answered {(int)answer.Status}");
        }
        Assert.Equal(HttpStatusCode.OK, run.Worker.Answers["/health/live"].Status);
        Assert.Equal(HttpStatusCode.OK, run.Worker.Answers["/metrics"].Status);
    }

    [Fact]
    public void Dashboard_and_alert_rules_name_only_metrics_the_worker_exports()
    {
        // What /metrics served when the live run and the replay finished: the names as Prometheus sees them.
        var exported = PrometheusText.SampleNames(run.Worker.Answers["/metrics"].Body);
        exported.UnionWith(PrometheusText.SampleNames(run.Replay.Answers["/metrics"].Body));
        Assert.Contains("trackrec_events_consumed_total", exported);

        var expressions = DashboardExpressions().Concat(AlertRules().Select(r => r.Text("expr")!)).ToList();
        Assert.NotEmpty(expressions);
        var named = expressions.SelectMany(e => TrackRecMetric().Matches(e).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
        var missing = named.Where(n => !exported.Contains(n)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"named by the dashboard or the rules but not exported: {string.Join(", ", missing)}; exported: {string.Join(", ", exported.Order(StringComparer.Ordinal))}");

        // Names from outside the worker, each from a known exporter: Prometheus itself and kube-state-metrics.
        var external = expressions.SelectMany(e => ExternalMetric().Matches(e).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);
        Assert.Subset(new HashSet<string>(["up", "kube_pod_status_ready"], StringComparer.Ordinal), external);
    }

    [Fact]
    public void Every_alert_the_issue_asks_for_exists_with_a_runbook_paragraph_in_the_README()
    {
        var rules = AlertRules().ToDictionary(r => r.Text("alert")!, r => r);
        Assert.Equal(
            ["TrackRecConsumerLagGrowing", "TrackRecDeadLetterSpike", "TrackRecDegradedShareHigh", "TrackRecModelCircuitOpen", "TrackRecNoTrainingBatch", "TrackRecWorkerNotReady"],
            rules.Keys.Order(StringComparer.Ordinal));
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md"));
        foreach (var (name, rule) in rules)
        {
            Assert.Equal($"README.md#runbook-{name.ToLowerInvariant()}", rule.Map("annotations").Text("runbook"));
            Assert.Contains($"#### Runbook: {name}\n", readme.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Otlp_receiver_gets_the_worker_metrics_over_http_protobuf()
    {
        var exports = run.Receiver.Requests.Where(r => r.Path == "/v1/metrics").ToList();
        Assert.NotEmpty(exports);
        Assert.All(exports, r => Assert.Equal("application/x-protobuf", r.ContentType));
        // ExportMetricsServiceRequest: resource_metrics(1) > scope_metrics(2) > scope(1).name(1), metrics(2).name(1).
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in exports)
            foreach (var resource in ProtobufReader.Read(export.Body).Messages(1))
                foreach (var scope in resource.Messages(2))
                {
                    Assert.Equal("TrackRec.Streaming", scope.Messages(1).Single().String(1));
                    names.UnionWith(scope.Messages(2).Select(m => m.String(1)!));
                }
        // The same instruments as /metrics, under their OpenTelemetry names.
        var families = PrometheusText.SampleNames(run.Worker.Answers["/metrics"].Body).Where(n => n.StartsWith("trackrec_", StringComparison.Ordinal)).ToList();
        foreach (var name in names)
            Assert.Contains(families, f => f == name.Replace('.', '_') || f.StartsWith(name.Replace('.', '_') + "_", StringComparison.Ordinal));
        foreach (var family in families)
            Assert.Contains(names, n => family == n.Replace('.', '_') || family.StartsWith(n.Replace('.', '_') + "_", StringComparison.Ordinal));
    }

    [Fact]
    public void Otlp_receiver_gets_a_span_per_generation_and_per_batch_linked_to_the_producer_context()
    {
        var exports = run.Receiver.Requests.Where(r => r.Path == "/v1/traces").ToList();
        Assert.NotEmpty(exports);
        Assert.All(exports, r => Assert.Equal("application/x-protobuf", r.ContentType));
        // ExportTraceServiceRequest: resource_spans(1) > scope_spans(2) > spans(2): name(5), kind(6), attributes(9), links(13), status(15).
        var spans = exports
            .SelectMany(e => ProtobufReader.Read(e.Body).Messages(1))
            .SelectMany(r => r.Messages(2))
            .Where(s => s.Messages(1).Single().String(1) == "TrackRec.Streaming")
            .SelectMany(s => s.Messages(2))
            .ToList();

        // Only this run's spans: other tests' workers in this process export through the same ActivitySource.
        var generations = spans.Where(s => s.String(5) == $"generate {ObservedWorkerRun.Topics.Impressions}").ToList();
        Assert.NotEmpty(generations);
        // Failed generations have a span too, marked as an error (status code 2); the others are the counted ones.
        Assert.Equal(run.Generations, generations.Count(s => s.Messages(15).SingleOrDefault() is not { } status || status.LastOrDefault(f => f.Number == 3).Number64 != 2));
        foreach (var span in generations)
        {
            Assert.Equal(5ul, span.Single(f => f.Number == 6).Number64); // SPAN_KIND_CONSUMER
            var attributes = Attributes(span);
            Assert.Equal("kafka", attributes["messaging.system"]);
            Assert.Equal("process", attributes["messaging.operation.type"]);
            Assert.Equal(ObservedWorkerRun.Topics.Impressions, attributes["messaging.destination.name"]);
            // Linked to the producer span whose context the impression carried in its traceparent header.
            var link = Assert.Single(span.Messages(13));
            Assert.Contains((link.Hex(1)!, link.Hex(2)!), run.ProducedContexts);
        }

        // Messaging span names are "{operation} {destination}": the batch is written, then its manifest sent.
        var batches = spans.Where(s => s.String(5) == $"write_batch {ObservedWorkerRun.Topics.BatchManifests}").ToList();
        Assert.Equal(run.BatchesWritten, batches.Count);
        Assert.All(batches, b => Assert.Equal(4ul, b.Single(f => f.Number == 6).Number64)); // SPAN_KIND_PRODUCER
        Assert.All(batches, b => Assert.False(string.IsNullOrEmpty(Attributes(b).GetValueOrDefault("trackrec.batch.id"))));
        Assert.All(batches, b => Assert.Equal("send", Attributes(b)["messaging.operation.type"]));
    }

    // KeyValue: key(1), value(2) = AnyValue: string_value(1) | int_value(3).
    private static Dictionary<string, string> Attributes(List<ProtobufReader.Field> span) =>
        span.Messages(9).ToDictionary(
            kv => kv.String(1)!,
            kv => kv.Messages(2).Single() is var any && any.Any(f => f.Number == 1) ? any.String(1)! : any.Single().Number64.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static IEnumerable<string> DashboardExpressions()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("deploy/grafana/dashboards/trackrec-worker.json")));
        return Walk(dashboard.RootElement).ToList();

        static IEnumerable<string> Walk(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                        yield return property.Value.GetString()!;
                    else
                        foreach (var inner in Walk(property.Value))
                            yield return inner;
            }
            else if (element.ValueKind == JsonValueKind.Array)
                foreach (var item in element.EnumerateArray())
                    foreach (var inner in Walk(item))
                        yield return inner;
        }
    }

    internal static IEnumerable<Dictionary<string, object?>> AlertRules() =>
        YamlDocuments.Load(RepositoryFiles.PathOf("deploy/prometheus/alerts.yml")).Maps("groups").SelectMany(g => g.Maps("rules"));

    [GeneratedRegex(@"\btrackrec_[a-z0-9_]+\b")]
    private static partial Regex TrackRecMetric();

    // A selector or range on a metric that is not the worker's: name{...} or name[...] or "name ==".
    [GeneratedRegex(@"\b((?!trackrec_)[a-z_][a-z0-9_]*)\s*(?:\{|\[\d|\s==)")]
    private static partial Regex ExternalMetric();
}
