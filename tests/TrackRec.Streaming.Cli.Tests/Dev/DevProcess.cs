using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace TrackRec.Streaming.Tests.Dev;

/// <summary>`trackrec` commands as child processes, and a `trackrec dev` stack started and read as an outside user would.</summary>
internal static partial class DevProcess
{
    /// <summary>Starts `trackrec ARGS`; every stdout line goes to <paramref name="onLine"/> and the test output.</summary>
    public static Process Start(IEnumerable<string> args, Action<string> onLine, string tag = "dev")
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "trackrec.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            TestContext.Current.TestOutputHelper?.WriteLine($"[{tag}] {e.Data}");
            onLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) TestContext.Current.TestOutputHelper?.WriteLine($"[{tag}!] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Starts `trackrec dev` on free ports with a simulated stream already produced, and waits for the addresses it
    /// prints: the bootstrap servers and the registry URL.
    /// </summary>
    public static async Task<(Process Dev, string Bootstrap, string Registry)> StartStackAsync(string models, string outDir, CancellationToken ct, int partitions = 2)
    {
        var (kafkaPort, registryPort) = (FreePort(), FreePort());
        var addresses = new TaskCompletionSource<(string, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? bootstrap = null;
        var dev = Start(
            ["dev", "--port", $"{kafkaPort}", "--registry-port", $"{registryPort}", "--simulate", "--users", "30", "--impressions-per-user", "10",
             "--rate", "0", "--partitions", $"{partitions}", "--models", models, "--out", outDir],
            line =>
            {
                if (BootstrapLine().Match(line) is { Success: true } b)
                    bootstrap = b.Groups[1].Value;
                else if (RegistryLine().Match(line) is { Success: true } r && bootstrap is not null)
                    addresses.TrySetResult((bootstrap, r.Groups[1].Value));
            });
        var (kafka, registry) = await addresses.Task.WaitAsync(TimeSpan.FromSeconds(120), ct);
        return (dev, kafka, registry);
    }

    /// <summary>What Ctrl-C in a terminal sends.</summary>
    public static void Interrupt(Process process)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
    }

    /// <summary>
    /// Interrupts <paramref name="dev"/> and returns its exit code. A process still running a minute later is killed,
    /// so a failing test leaves no stack behind holding ports and memory.
    /// </summary>
    public static async Task<int> StopAsync(Process dev, CancellationToken ct)
    {
        if (!dev.HasExited)
            Interrupt(dev);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await dev.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            dev.Kill(entireProcessTree: true);
            // A shell that starts a job in the background without job control makes it ignore SIGINT, and the
            // child inherits that: the stack then never sees the Ctrl-C this test sends.
            throw new TimeoutException($"trackrec dev (pid {dev.Id}) did not stop within 60 s of SIGINT and was killed; "
                + "if the test run was started in the background of a non-interactive shell, SIGINT is ignored there: run it in the foreground");
        }
        return dev.ExitCode;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^\s*bootstrap\s+(\S+)$")]
    private static partial Regex BootstrapLine();

    [GeneratedRegex(@"^\s*registry\s+(\S+)$")]
    private static partial Regex RegistryLine();
}
