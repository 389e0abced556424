using System.CommandLine;
using Microsoft.Extensions.Configuration;
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
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
            builder.Configuration.AddInMemoryCollection(overrides);
            builder.Services.AddTrackRecWorker();
            // The in-worker retraining loop lives here, not in Hosting: only the CLI carries TorchSharp.
            builder.Services.AddOptions<RetrainingOptions>().BindConfiguration(RetrainingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
            builder.Services.AddHostedService<BatchRetrainingService>();
            using var host = builder.Build();
            return await RunHostAsync(host, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Runs a worker host; 0 when it stopped cleanly, 2 on invalid settings, 1 on a fatal error.</summary>
    public static async Task<int> RunHostAsync(IHost host, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Invalid configuration:").ConfigureAwait(false);
            foreach (var failure in ex.Failures)
                await Console.Error.WriteLineAsync("  " + failure).ConfigureAwait(false);
            return 2;
        }
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        var worker = host.Services.GetRequiredService<StreamWorker>();
        if (worker.Finished.IsFaulted)
        {
            await Console.Error.WriteLineAsync("The worker stopped on a fatal error: " + worker.Finished.Exception!.GetBaseException().Message).ConfigureAwait(false);
            return 1;
        }
        return 0;
    }
}
