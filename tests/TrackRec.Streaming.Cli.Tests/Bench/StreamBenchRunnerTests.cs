using System.Text.Json;
using TrackRec.Streaming.Cli.Bench;
using TrackRec.Streaming.Cli.Commands;
using TrackRec.Streaming.Tests.Demo;

namespace TrackRec.Streaming.Tests.Bench;

/// <summary>
/// `bench stream` end to end on a tiny simulated stream, rates and durations: every phase runs, and bench.json
/// holds figures that agree with each other. No figure is asserted against a time.
/// </summary>
public sealed class StreamBenchRunnerTests(TrainedModelsFixture models) : IDisposable, IClassFixture<TrainedModelsFixture>
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trackrec-bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Tiny_run_writes_a_consistent_bench_json_and_plot()
    {
        var options = new StreamBenchOptions
        {
            OutDirectory = _dir,
            ModelDirectory = models.Directory,
            Input = new InputSelection(null, null, Seed: 3, Users: 10, ImpressionsPerUser: 6),
            Partitions = 2,
            Rates = [200, 400],
            Duration = TimeSpan.FromMilliseconds(500),
            Warmup = TimeSpan.FromMilliseconds(200),
            Llm = true,
            LlmServiceTime = TimeSpan.FromMilliseconds(5),
            LlmCapacity = 4,
            LlmRate = 20,
            MemoryUsers = [200],
        };
        var ct = TestContext.Current.CancellationToken;

        var report = await StreamBenchRunner.RunAsync(options, TextWriter.Null, ct);
        var (json, png) = await StreamBenchRunner.WriteAsync(report, _dir, ct);

        // The ceiling moved every input record once; the workers consumed them all.
        Assert.Equal(report.InputEvents, report.Ceiling.Events);
        Assert.Equal(report.InputEvents, report.Ceiling.Outputs);
        Assert.Equal(report.InputEvents, report.WorkerFeedbackOn.Events);
        Assert.Equal(report.InputEvents, report.WorkerFeedbackOff.Events);
        Assert.Equal(StreamBenchReport.Ratio(report.WorkerFeedbackOn.EventsPerSecond, report.Ceiling.EventsPerSecond), report.RatioFeedbackOn);
        Assert.Equal(StreamBenchReport.Ratio(report.WorkerFeedbackOff.EventsPerSecond, report.Ceiling.EventsPerSecond), report.RatioFeedbackOff);

        // Each rate scheduled rate x duration impressions; every one either arrived or is reported missing.
        Assert.Equal([200.0, 400.0], report.Paced.Select(p => p.Rate));
        Assert.Equal([100L, 200L], report.Paced.Select(p => p.Scheduled));
        Assert.All(report.Paced, p =>
        {
            Assert.Equal(p.Scheduled, p.Arrived + p.Missing);
            Assert.Equal(p.Arrived, p.BySource.Values.Sum(l => l.Count));
            Assert.Equal(p.Arrived, p.Latency.Count);
            Assert.True(p.Latency.P50 <= p.Latency.P99 && p.Latency.P99 <= p.Latency.P999 && p.Latency.P999 <= p.Latency.Max);
        });

        // LLM mode: calls by role add up, and the budget is what the worker was configured with.
        var llm = Assert.IsType<LlmFigures>(report.Llm);
        Assert.True(llm.Impressions > 0);
        Assert.Equal(llm.CallsPerImpression, llm.CallsPerImpressionByRole.Values.Sum(), precision: 2);
        Assert.True(llm.LlmCalls > 0);
        Assert.True(llm.InFlightMax >= 1);
        Assert.Equal(new Models.Llm.LlmOptions().MaxConcurrency, llm.Budget);

        // Memory: the parts add up to the whole.
        var memory = Assert.Single(report.Memory);
        Assert.Equal(200, memory.Users);
        Assert.NotNull(memory.BytesPerUser);
        Assert.Equal(memory.BytesPerUser!.Value, memory.Breakdown.Values.Sum(), precision: 0);

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json, ct));
        var root = document.RootElement;
        foreach (var field in new[] { "ceiling", "worker_feedback_on", "worker_feedback_off", "ratio_feedback_on", "ratio_feedback_off", "paced", "paced_achieved_to_ceiling", "llm", "memory" })
            Assert.True(root.TryGetProperty(field, out _), $"bench.json lacks {field}");
        Assert.Equal(report.InputEvents, root.GetProperty("ceiling").GetProperty("events").GetInt64());
        Assert.True(root.GetProperty("paced")[0].GetProperty("latency_by_source").EnumerateObject().Any());
        Assert.True(new FileInfo(png).Length > 0);
        var table = StreamBenchTable.Lines(report).ToList();
        Assert.Contains(table, l => l.Contains("pass-through ceiling", StringComparison.Ordinal));
        Assert.Contains(table, l => l.Contains("200/s", StringComparison.Ordinal));
    }
}
