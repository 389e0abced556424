using System.Diagnostics;
using TrackRec.Streaming.Tests.Deploy;

namespace TrackRec.Streaming.Tests.Telemetry;

/// <summary>
/// The alert rules checked by Prometheus's own tool: they parse (`promtool check rules`) and each fires on the
/// series that should trigger it and on no other (`promtool test rules`, deploy/prometheus/alerts.test.yml).
/// promtool comes with Debian's `prometheus` package; where it is not installed the test is skipped, saying so.
/// </summary>
public sealed class AlertRuleTests
{
    [Theory]
    [InlineData("check", "rules", "deploy/prometheus/alerts.yml")]
    [InlineData("test", "rules", "deploy/prometheus/alerts.test.yml")]
    public async Task Promtool_accepts_the_rules_and_their_unit_tests(string verb, string what, string file)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        if (promtool is null)
            Assert.Skip("promtool is not installed (Debian: apt-get install prometheus); the rules are still checked against /metrics by TelemetryEndToEndTests");
        var start = new ProcessStartInfo(promtool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryFiles.Root };
        start.ArgumentList.Add(verb);
        start.ArgumentList.Add(what);
        start.ArgumentList.Add(file);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, $"promtool {verb} {what} {file} exited {process.ExitCode}:\n{await output}\n{await error}");
    }
}
