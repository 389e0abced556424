using System.Net;

namespace TrackRec.Streaming.Tests.Telemetry;

/// <summary>
/// The operator's view of a bounded worker run (<see cref="ObservedWorkerRun"/>): the deployment's probes hit real
/// endpoints, the dashboard and the alert rules name only metrics the worker exports on /metrics, and an OTLP
/// receiver gets the worker's metrics and its spans, linked to the records that caused them.
/// </summary>
public sealed class TelemetryEndToEndTests(ObservedWorkerRun run) : IClassFixture<ObservedWorkerRun>
{
    [Fact]
    public void The_observed_run_drained_its_stream_and_was_read_when_it_finished()
    {
        Assert.Equal(0, run.ExitCode);
        Assert.Null(run.Worker.Failure);
        Assert.Equal(0, run.ReplayExitCode);
        Assert.Null(run.Replay.Failure);
        Assert.True(run.Generations > 0);
        Assert.True(run.BatchesWritten > 0, "the run should cut training batches (MaxRecords 10)");
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
    public void Metrics_dump()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(run.Worker.Answers["/metrics"].Body);
        TestContext.Current.TestOutputHelper?.WriteLine(run.Replay.Answers["/metrics"].Body);
        TestContext.Current.TestOutputHelper?.WriteLine(run.ReplayOutput);
        foreach (var r in run.Receiver.Requests)
            TestContext.Current.TestOutputHelper?.WriteLine($"{r.Path} {r.ContentType} {r.Body.Length}");
    }
}
