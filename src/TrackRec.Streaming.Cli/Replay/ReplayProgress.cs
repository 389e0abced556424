using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace TrackRec.Streaming.Cli.Replay;

/// <summary>
/// Progress of a running replay: a bar with rate and ETA on an interactive terminal, and plain lines
/// (every 5 s or 10 %) when output is redirected, so logs and CI stay readable. The total is the
/// plan's approximate record count, so the percentage is capped.
/// </summary>
internal static class ReplayProgress
{
    private static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(5);

    public static Task RunAsync(Func<long> done, long total, Task finished, TextWriter output, bool interactive) =>
        interactive ? BarAsync(done, total, finished) : LinesAsync(done, total, finished, output);

    private static Task BarAsync(Func<long> done, long total, Task finished) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("replay", maxValue: Math.Max(total, 1));
                var clock = Stopwatch.StartNew();
                while (!finished.IsCompleted)
                {
                    var now = done();
                    task.Value = Math.Min(now, task.MaxValue);
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"replay {now:N0} records, {now / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):N0}/s");
                    await Task.WhenAny(finished, Task.Delay(250)).ConfigureAwait(false);
                }
                task.Value = task.MaxValue;
            });

    private static async Task LinesAsync(Func<long> done, long total, Task finished, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var lastLine = TimeSpan.Zero;
        var lastDecile = 0L;
        while (!finished.IsCompleted)
        {
            await Task.WhenAny(finished, Task.Delay(250)).ConfigureAwait(false);
            var now = done();
            var decile = total > 0 ? Math.Min(10, now * 10 / total) : 0;
            if (finished.IsCompleted || clock.Elapsed - lastLine >= LineInterval || decile > lastDecile)
            {
                await output.WriteLineAsync(Line(now, total, clock.Elapsed)).ConfigureAwait(false);
                lastLine = clock.Elapsed;
                lastDecile = decile;
            }
        }
    }

    /// <summary>One plain progress line: records, percentage, rate and ETA.</summary>
    public static string Line(long done, long total, TimeSpan elapsed)
    {
        var rate = done / Math.Max(elapsed.TotalSeconds, 1e-3);
        var percent = total > 0 ? Math.Min(100.0, 100.0 * done / total) : 100.0;
        var eta = rate > 0 && total > done ? TimeSpan.FromSeconds((total - done) / rate) : TimeSpan.Zero;
        return string.Create(CultureInfo.InvariantCulture, $"replay: {done:N0}/~{total:N0} records ({percent:F0}%), {rate:N0} records/s, ETA {eta:hh\\:mm\\:ss}");
    }
}
