using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TrackRec.Streaming.Cli.Retraining;
using TrackRec.Streaming.Hosting;

namespace TrackRec.Streaming.Cli.Commands;

/// <summary>`trackrec run`: the production worker, configured by appsettings.json, environment (TrackRec__...) and arguments.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run the stream worker against the Kafka cluster in configuration (TrackRec:Kafka:BootstrapServers).");
        var config = SettingOverrides.CreateOption();
        command.Options.Add(config);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (overrides, problem) = SettingOverrides.Parse(parse.GetValue(config));
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return 2;
            }
            using var host = WorkerHost.Build(new WorkerHostOptions { Settings = [overrides], Retrainer = DpoModelRetrainer.Instance });
            return await RunHostAsync(host, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>
    /// Runs a worker host; 0 when it stopped cleanly, 2 on invalid settings, 1 on a fatal error. <paramref name="started"/>
    /// runs once the host has started (`dev` prints its addresses and starts its feed there).
    /// </summary>
    public static async Task<int> RunHostAsync(IHost host, CancellationToken cancellationToken, Func<Task>? started = null)
    {
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            await WriteInvalidAsync(ex, Console.Error).ConfigureAwait(false);
            return 2;
        }
        if (started is not null)
            await started().ConfigureAwait(false);
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        var worker = host.Services.GetRequiredService<StreamWorker>();
        if (worker.Finished.IsFaulted)
        {
            await Console.Error.WriteLineAsync("The worker stopped on a fatal error: " + worker.Finished.Exception!.GetBaseException().Message).ConfigureAwait(false);
            return 1;
        }
        return 0;
    }

    /// <summary>Prints the settings start-up refused, one per line, each naming its setting.</summary>
    public static async Task WriteInvalidAsync(OptionsValidationException invalid, TextWriter error)
    {
        await error.WriteLineAsync("Invalid configuration:").ConfigureAwait(false);
        foreach (var failure in invalid.Failures)
            await error.WriteLineAsync("  " + failure).ConfigureAwait(false);
    }
}
